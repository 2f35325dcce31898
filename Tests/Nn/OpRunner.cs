using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;

namespace StaticGraph.Tests.Nn;

/// <summary>Builds an op on fed inputs, compiles it on the CPU backend and returns its outputs.</summary>
internal static class OpRunner
{
    /// <summary>Evaluates the nodes <paramref name="apply"/> builds, in float64.</summary>
    public static double[][] RunF64(int[][] shapes, double[][] values, Func<GraphBuilder, Node[], Node[]> apply,
        ProgramMode mode = ProgramMode.Inference, int threads = 2) =>
        Run<double>(DType.F64, shapes, values, v => v, apply, mode, threads);

    /// <summary>Evaluates the node <paramref name="apply"/> builds, in float64.</summary>
    public static double[] RunF64(int[][] shapes, double[][] values, Func<GraphBuilder, Node[], Node> apply,
        ProgramMode mode = ProgramMode.Inference, int threads = 2) =>
        RunF64(shapes, values, (b, x) => [apply(b, x)], mode, threads)[0];

    /// <summary>Evaluates the nodes <paramref name="apply"/> builds, in float32 with the values rounded to it.</summary>
    public static float[][] RunF32(int[][] shapes, double[][] values, Func<GraphBuilder, Node[], Node[]> apply,
        ProgramMode mode = ProgramMode.Inference, int threads = 2) =>
        Run<float>(DType.F32, shapes, values, TestValues.ToSingle, apply, mode, threads);

    private static T[][] Run<T>(DType dtype, int[][] shapes, double[][] values, Func<double[], T[]> convert,
        Func<GraphBuilder, Node[], Node[]> apply, ProgramMode mode, int threads) where T : unmanaged
    {
        var b = new GraphBuilder(dtype);
        var inputs = shapes.Select((s, i) => b.Input(GradientCheck.InputName(i), dtype, s)).ToArray();
        var outputs = apply(b, inputs);
        var program = GraphProgram.Create(mode, outputs, [], null, null);
        using var run = CpuBackend.Instance.Compile(program, new CompileOptions(Threads: threads));
        // Inputs the outputs do not depend on are pruned from the program (e.g. x from avg-pool's gradient).
        for (var i = 0; i < values.Length; i++)
            if (program.Inputs.Contains(inputs[i])) run.SetInput<T>(GradientCheck.InputName(i), convert(values[i]));
        run.Run();
        return outputs.Select(run.Read<T>).ToArray();
    }
}
