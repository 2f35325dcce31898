using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;

namespace StaticGraph.Tests.Random;

/// <summary>Runs random nodes on the CPU at a given seed, step and thread count and reads their values.</summary>
internal static class RandomDraws
{
    /// <summary>One random node of every kind, by name, for tests that hold for all of them.</summary>
    public static readonly string[] Kinds = ["uniform-f32", "uniform-f64", "normal-f32", "normal-f64", "bernoulli-f32", "bernoulli-f64", "beta-f32", "beta-f64", "permutation", "cutout-boxes", "cutmix-boxes"];

    /// <summary>Builds the random node of kind <paramref name="kind"/> named <paramref name="name"/>, with enough elements to span several parallel tasks.</summary>
    public static Node Build(GraphBuilder b, string kind, string name = "draw") => kind switch
    {
        "uniform-f32" => b.Uniform(name, [300, 250], -1, 2, DType.F32),
        "uniform-f64" => b.Uniform(name, [300, 250], -1, 2, DType.F64),
        "normal-f32" => b.Normal(name, [300, 250], 0.5, 2, DType.F32),
        "normal-f64" => b.Normal(name, [300, 250], 0.5, 2, DType.F64),
        "bernoulli-f32" => b.Bernoulli(name, [300, 250], 0.4, DType.F32),
        "bernoulli-f64" => b.Bernoulli(name, [300, 250], 0.4, DType.F64),
        "beta-f32" => b.Beta(name, [300, 250], 0.4, 2, DType.F32),
        "beta-f64" => b.Beta(name, [300, 250], 0.4, 2, DType.F64),
        "permutation" => b.Permutation(name, 5000),
        "cutout-boxes" => b.CutoutBoxes(name, 500, 32, 28, 12),
        "cutmix-boxes" => b.CutMixBoxes(name, b.Constant(Enumerable.Range(0, 500).Select(i => i / 500.0).ToArray(), DType.F64, 500), 32, 28),
        _ => throw new ArgumentException($"unknown random kind {kind}", nameof(kind)),
    };

    /// <summary>The node's value as raw bits (f32, f64 and i32 alike), for bitwise comparisons.</summary>
    public static long[] Bits(Node node, ulong seed = 7, long step = 3, int threads = 2)
    {
        using var run = Compile(node, seed, threads);
        run.Step = step;
        run.Run();
        return BitsOf(run, node);
    }

    /// <summary>The node's value read as <typeparamref name="T"/>.</summary>
    public static T[] Read<T>(Node node, ulong seed = 7, long step = 3, int threads = 2, Action<IExecutable>? feed = null)
        where T : unmanaged
    {
        using var run = Compile(node, seed, threads);
        run.Step = step;
        feed?.Invoke(run);
        run.Run();
        return run.Read<T>(node);
    }

    public static IExecutable Compile(Node node, ulong seed = 7, int threads = 2) =>
        CpuBackend.Instance.Compile(GraphProgram.Inference(node), new CompileOptions(Seed: seed, Threads: threads));

    public static long[] BitsOf(IExecutable run, Node node) => node.DType switch
    {
        DType.F32 => run.Read<float>(node).Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray(),
        DType.F64 => run.Read<double>(node).Select(BitConverter.DoubleToInt64Bits).ToArray(),
        DType.I32 => run.Read<int>(node).Select(v => (long)v).ToArray(),
        _ => throw new ArgumentException($"cannot read {node.Type}", nameof(node)),
    };

    public static double Mean(IReadOnlyList<double> values) => values.Average();

    public static double Variance(IReadOnlyList<double> values)
    {
        var mean = Mean(values);
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }
}
