using System.Diagnostics;
using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Cuda.Backend;
using StaticGraph.Models;
using StaticGraph.Regularizers;

namespace StaticGraph.Train.Commands;

/// <summary>One row of the device check: what was checked, whether it held, and the numbers behind it.</summary>
/// <param name="Check">What was checked.</param>
/// <param name="Passed">Whether it held.</param>
/// <param name="Detail">The measurements or the failure.</param>
public sealed record DeviceCheckRow(string Check, bool Passed, string Detail);

/// <summary>
/// The checks `device-check` runs on a GPU: random draws bitwise equal to the CPU's, deterministic replays, graph replay
/// against eager issue, and one training step of every model against the CPU backend (f32, TF32 off, 1e-3 relative on
/// the loss and logits after one step).
/// </summary>
public static class DeviceChecks
{
    /// <summary>Runs every check; each failure is a row, never an exception.</summary>
    public static IEnumerable<DeviceCheckRow> Run(int batch, int size)
    {
        yield return Guard("random draws = CPU, bitwise (f32, f64, 3 steps)", RandomDraws);
        yield return Guard("deterministic: two runs bitwise equal", () => Replays(graph: true));
        yield return Guard("graph replay = eager issue, bitwise", () => Replays(graph: false));
        foreach (var model in ModelZoo.Names)
            yield return Guard($"train step: {model}", () => ModelStep(model, batch, size));
    }

    private static DeviceCheckRow Guard(string name, Func<(bool Ok, string Detail)> check)
    {
        try
        {
            var (ok, detail) = check();
            return new DeviceCheckRow(name, ok, detail);
        }
        catch (Exception e)
        {
            return new DeviceCheckRow(name, false, $"{e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }

    private static (bool, string) RandomDraws()
    {
        foreach (var dtype in new[] { DType.F32, DType.F64 })
        {
            var b = new GraphBuilder(dtype);
            var u = b.Uniform("u", [4096], -1, 2, dtype);
            var m = b.Bernoulli("m", [4096], 0.3, dtype);
            var p = b.Permutation("p", 128);
            var program = GraphProgram.Inference(u, m, p);
            using var cpu = CpuBackend.Instance.Compile(program, new CompileOptions(Seed: 42));
            using var gpu = CudaBackend.Default.Compile(program, new CompileOptions(Seed: 42));
            for (var step = 0; step < 3; step++)
            {
                cpu.Step = gpu.Step = step * 1000 + 7;
                cpu.Run();
                gpu.Run();
                foreach (var n in program.Fetches)
                    if (!Bytes(cpu, n).AsSpan().SequenceEqual(Bytes(gpu, n)))
                        return (false, $"{n.Op.Name} ({dtype}) differs at step {cpu.Step}");
            }
        }
        return (true, "uniform, bernoulli, permutation");
    }

    private static (bool, string) Replays(bool graph)
    {
        var (program, feed) = Training("shake-shake-26-2x32d", 8, 32);
        byte[][] Train(CudaOptions options)
        {
            using var run = new CudaBackend(options).Compile(program, new CompileOptions(Seed: 3));
            feed(run);
            for (var i = 0; i < 4; i++) run.Run();
            return [.. program.Variables.Select(v => run.ReadVariableBytes(v.Name!))];
        }
        var first = Train(CudaOptions.Default);
        var second = Train(graph ? CudaOptions.Default : CudaOptions.Default with { CaptureGraph = false });
        var differing = program.Variables.Where((v, i) => !first[i].AsSpan().SequenceEqual(second[i])).Select(v => v.Name).ToList();
        return differing.Count == 0
            ? (true, $"shake-shake-26-2x32d, 4 steps, {program.Variables.Count} variables")
            : (false, $"{differing.Count} variables differ, e.g. '{differing[0]}'");
    }

    private static (bool, string) ModelStep(string model, int batch, int size)
    {
        var (program, feed) = Training(model, batch, size);
        var clock = Stopwatch.StartNew();
        using var gpu = CudaBackend.Default.Compile(program, new CompileOptions(Seed: 1));
        var compile = clock.Elapsed.TotalSeconds;
        using var cpu = CpuBackend.Instance.Compile(program, new CompileOptions(Seed: 1));
        feed(gpu);
        feed(cpu);
        clock.Restart();
        gpu.Run();
        var first = clock.Elapsed.TotalMilliseconds;
        cpu.Run();
        var error = program.Fetches.Max(f => RelativeError(cpu.Read<float>(f), gpu.Read<float>(f)));
        var ok = error <= 1e-3;
        gpu.Step = 0;
        gpu.Run(); // captures the graph
        clock.Restart();
        const int replays = 5;
        for (var i = 0; i < replays; i++) gpu.Run();
        var step = clock.Elapsed.TotalMilliseconds / replays;
        return (ok, $"compile {compile:F1} s, first step {first:F0} ms, replayed step {step:F1} ms ({batch * 1000 / step:F0} img/s), loss/logits vs CPU {error:E1}");
    }

    private static (GraphProgram, Action<IExecutable>) Training(string model, int batch, int size)
    {
        var b = new GraphBuilder(DType.F32);
        var images = b.Input("image", DType.F32, batch, 3, size, size);
        var labels = b.Input("label", DType.I32, batch);
        var build = ModelZoo.Get(model);
        var (loss, logits) = new CrossEntropyObjective([]).Build(b, x => build(b, x, 10), images, labels, 10);
        var program = Autodiff.Train(loss, new Sgd(0.9, 5e-4, true), Schedule.Constant(0.05), logits);
        var rng = new System.Random(5);
        var x = new float[batch * 3 * size * size];
        for (var i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        var y = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
        return (program, run =>
        {
            run.SetInput<float>("image", x);
            run.SetInput<int>("label", y);
        }
        );
    }

    private static byte[] Bytes(IExecutable run, Node n) => n.DType switch
    {
        DType.F32 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(run.Read<float>(n).AsSpan()).ToArray(),
        DType.F64 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(run.Read<double>(n).AsSpan()).ToArray(),
        _ => System.Runtime.InteropServices.MemoryMarshal.AsBytes(run.Read<int>(n).AsSpan()).ToArray(),
    };

    private static double RelativeError(float[] expected, float[] actual)
    {
        var scale = Math.Max(1e-6, expected.Max(v => Math.Abs((double)v)));
        return expected.Zip(actual, (e, a) => Math.Abs((double)e - a) / scale).Max();
    }
}
