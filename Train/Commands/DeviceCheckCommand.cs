using System.CommandLine;
using StaticGraph.Cuda.Backend;
using StaticGraph.Cuda.Native;

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
                output.WriteLine($"{spec.Description,-12} {loaded.SoName} at {loaded.Location}{Version(name)}");
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
        if (benchSteps > 0)
        {
            var ours = BenchCommand.MeasureOurs(128, benchSteps, threads: 0, backend: CudaBackend.Default);
            var theirs = BenchCommand.MeasurePyTorch(python, BenchCommand.FindPeerScript(), 128, benchSteps, threads: 1, device: "cuda");
            var ratio = theirs is { } t ? (ours / t).ToString("F3", System.Globalization.CultureInfo.InvariantCulture) : "n/a";
            output.WriteLine($"  bench rp20_cuda_train img/s ours={ours:F1} pytorch={theirs?.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) ?? "unavailable"} ratio={ratio}");
        }
        output.WriteLine(failed == 0 ? "cuda backend: every check passed" : $"cuda backend: {failed} check(s) failed");
        return failed == 0 ? 0 : 1;
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
                return $" (cuDNN {major}.{minor}.{patch})";
            }
        }
        catch (Exception e) when (e is CudaException or NvrtcException or CudnnException or DllNotFoundException or EntryPointNotFoundException)
        {
            return $" (version unavailable: {e.Message})";
        }
        return "";
    }
}
