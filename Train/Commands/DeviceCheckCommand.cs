using System.CommandLine;
using StaticGraph.Cuda.Backend;
using StaticGraph.Cuda.Native;
using StaticGraph.Train.Bench;

namespace StaticGraph.Train.Commands;

/// <summary>
/// `device-check`: reports the NVIDIA libraries found (where, and the version where the library tells it), initialises the
/// driver and counts devices; with a usable GPU it then runs the GPU checks (<see cref="DeviceChecks"/>: random draws,
/// determinism, graph replay, one training step of every model against the CPU) and the CUDA benchmark against PyTorch,
/// as a table. Without a GPU it says in one line what is missing and exits 0: a plain report, not a failure.
/// </summary>
public static class DeviceCheckCommand
{
    /// <summary>The command.</summary>
    public static Command Create()
    {
        var batch = new Option<int>("--batch-size") { Description = "Images per checked training step", DefaultValueFactory = _ => 8 };
        var size = new Option<int>("--image-size") { Description = "Side of the checked images", DefaultValueFactory = _ => 32 };
        var benchSteps = new Option<int>("--bench-steps") { Description = "Timed steps of the CUDA benchmark (0: skip it)", DefaultValueFactory = _ => 50 };
        var python = new Option<string>("--python") { Description = "Interpreter with PyTorch for the benchmark's peer", DefaultValueFactory = _ => "python3" };
        var command = new Command("device-check", "Report the CUDA libraries and devices; with a GPU, check the CUDA backend against the CPU and benchmark it")
        {
            batch, size, benchSteps, python,
        };
        command.SetAction(r => Run(Console.Out, r.GetValue(batch), r.GetValue(size), r.GetValue(benchSteps), r.GetValue(python)!));
        return command;
    }

    /// <summary>Writes the report to <paramref name="output"/>; returns 0 unless a GPU check failed.</summary>
    public static int Run(TextWriter output, int batch = 8, int size = 32, int benchSteps = 50, string python = "python3")
    {
        var found = new Dictionary<string, bool>();
        foreach (var (name, spec) in NativeLibraryResolver.Known)
        {
            if (NativeLibraryResolver.TryLoad(spec, out var loaded, out var error))
            {
                found[name] = true;
                output.WriteLine($"{spec.Description,-12} {loaded.SoName} at {loaded.Location}{Version(name)}; chosen: {loaded.Choice}");
                foreach (var note in loaded.Notes) output.WriteLine($"{"",-12} note: {note}");
            }
            else
            {
                found[name] = false;
                output.WriteLine($"{spec.Description,-12} not found: {error.Message}");
            }
        }

        if (found[NativeLibraryResolver.Driver])
        {
            try
            {
                CudaDriver.Init();
                var count = CudaDriver.DeviceCount();
                output.WriteLine($"cuInit: ok; {count} CUDA device(s)");
                for (var i = 0; i < count; i++) output.WriteLine($"  device {i}: {CudaDriver.DeviceName(CudaDriver.Device(i))}");
                if (count > 0 && found[NativeLibraryResolver.NvrtcName]) output.WriteLine($"kernels: {KernelTargetLine(CudaDriver.Device(0))}");
            }
            catch (CudaException e)
            {
                output.WriteLine($"cuInit: no usable GPU: {e.Message}");
            }
        }
        else
        {
            output.WriteLine("cuInit: not attempted (no CUDA driver library)");
        }
        if (CudaBackend.Unavailable() is { } why)
        {
            output.WriteLine($"cuda backend: unavailable ({why}); training runs on the CPU backend");
            return 0;
        }

        output.WriteLine($"cuda backend: checks on {batch} images of 3x{size}x{size} (f32, TF32 off, deterministic)");
        var failed = 0;
        foreach (var row in DeviceChecks.Run(batch, size))
        {
            output.WriteLine($"  {(row.Passed ? "ok  " : "FAIL")} {row.Check,-52} {row.Detail}");
            output.Flush();
            if (!row.Passed) failed++;
        }
        if (benchSteps > 0) failed += Bench(output, benchSteps, python);
        output.WriteLine(failed == 0 ? "cuda backend: every check passed" : $"cuda backend: {failed} check(s) failed");
        return failed == 0 ? 0 : 1;
    }

    /// <summary>
    /// The CUDA benchmark against PyTorch through <c>bench</c>'s own code (<see cref="BenchRunner"/>), in its line format:
    /// the issue's CUDA workloads, <c>rp20c3</c> and <c>ss26_2x96d</c> in f32 (img/s and peak_mib) and <c>rp20c3</c> in
    /// BF16 (img/s). Returns the number of failures: a bench that threw, or models whose parameter counts differ from
    /// the peer's.
    /// </summary>
    private static int Bench(TextWriter output, int steps, string python)
    {
        var settings = new BenchSettings("cuda", "f32", Threads: 1, BatchSize: 128, Steps: steps, Rounds: 1, Python: python, PeerScript: PyTorchPeer.FindScript());
        var (rp20c3, ss26) = (BenchWorkloads.Get("rp20c3"), BenchWorkloads.Get("ss26_2x96d"));
        var runs = new (BenchWorkload[] Workloads, BenchSettings Settings, bool Memory)[]
        {
            ([rp20c3, ss26], settings, true),
            ([rp20c3], settings with { Precision = "bf16" }, false),
        };
        output.WriteLine(BenchRunner.Header(settings));
        var failed = 0;
        foreach (var (workloads, with, memory) in runs)
        {
            try
            {
                failed += BenchRunner.Run(output, workloads, with, memory, errors: output);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                output.WriteLine($"  FAIL bench {string.Join(",", workloads.Select(w => w.Name))} {with.Precision}: {e.GetType().Name}: {e.Message}");
                failed++;
            }
            output.Flush();
        }
        return failed;
    }

    private static string KernelTargetLine(int device)
    {
        try
        {
            return KernelTarget.Choose(CudaDriver.ComputeCapability(device), Nvrtc.SupportedArchitectures(), Nvrtc.Version(), CudaDriver.DriverVersion()).Reason;
        }
        catch (Exception e) when (e is InvalidOperationException or NvrtcException or CudaException or EntryPointNotFoundException)
        {
            return "cannot be built: " + e.Message;
        }
    }

    private static string Version(string name)
    {
        try
        {
            if (name == NativeLibraryResolver.Driver)
            {
                var v = CudaDriver.DriverVersion();
                return $" (driver supports CUDA {v / 1000}.{v % 1000 / 10})";
            }
            if (name == NativeLibraryResolver.NvrtcName)
            {
                var (major, minor) = Nvrtc.Version();
                return $" (NVRTC {major}.{minor})";
            }
            if (name == NativeLibraryResolver.CudnnName)
            {
                var (major, minor, patch) = Cudnn.Version();
                var cudart = Cudnn.CudartVersion();
                return $" (cuDNN {major}.{minor}.{patch}, built for CUDA {cudart / 1000}.{cudart % 1000 / 10})";
            }
            if (name == NativeLibraryResolver.CublasName)
            {
                var (major, minor, patch) = Cublas.Version();
                return $" (cuBLAS {major}.{minor}.{patch})";
            }
        }
        catch (Exception e) when (e is CudaException or NvrtcException or CudnnException or CublasException or DllNotFoundException or EntryPointNotFoundException)
        {
            return $" (version unavailable: {e.Message})";
        }
        return "";
    }
}
