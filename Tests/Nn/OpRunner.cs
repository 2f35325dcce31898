using StaticGraph.Conformance;
using StaticGraph.Ops;

namespace StaticGraph.Tests.Nn;

/// <summary>Builds an op on fed inputs <c>in0, in1, ...</c> and runs it once on the CPU through the kit's runner (<see cref="Reference"/>).</summary>
internal static class OpRunner
{
    /// <summary>Evaluates the nodes <paramref name="apply"/> builds, in float64.</summary>
    public static double[][] RunF64(int[][] shapes, double[][] values, Func<GraphBuilder, Node[], Node[]> apply,
        ProgramMode mode = ProgramMode.Inference, int threads = 2) =>
        Run(DType.F64, shapes, values, apply, mode, threads);

    /// <summary>Evaluates the node <paramref name="apply"/> builds, in float64.</summary>
    public static double[] RunF64(int[][] shapes, double[][] values, Func<GraphBuilder, Node[], Node> apply,
        ProgramMode mode = ProgramMode.Inference, int threads = 2) =>
        RunF64(shapes, values, (b, x) => [apply(b, x)], mode, threads)[0];

    /// <summary>Evaluates the nodes <paramref name="apply"/> builds, in float32 with the values rounded to it.</summary>
    public static float[][] RunF32(int[][] shapes, double[][] values, Func<GraphBuilder, Node[], Node[]> apply,
        ProgramMode mode = ProgramMode.Inference, int threads = 2) =>
        [.. Run(DType.F32, shapes, values, apply, mode, threads).Select(v => v.Select(x => (float)x).ToArray())];

    /// <summary>The name under which input <paramref name="i"/> is fed.</summary>
    public static string InputName(int i) => "in" + i;

    private static double[][] Run(DType dtype, int[][] shapes, double[][] values, Func<GraphBuilder, Node[], Node[]> apply, ProgramMode mode, int threads)
    {
        var b = new GraphBuilder(dtype);
        var inputs = shapes.Select((s, i) => b.Input(InputName(i), dtype, s)).ToArray();
        var program = GraphProgram.Create(mode, apply(b, inputs), [], null, null);
        // Inputs the outputs do not depend on are pruned from the program (e.g. x from avg-pool's gradient); the runner ignores them.
        var feeds = values.Select((v, i) => (Name: InputName(i), Values: v)).ToDictionary(f => f.Name, f => f.Values);
        return [.. Reference.Run(program, feeds, threads: threads).Select(t => t.Values)];
    }
}
