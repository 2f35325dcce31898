using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>Elementwise ops lowered to fused kernels: one kernel per chain, CPU semantics on the emulator.</summary>
public class ElementwiseLoweringTests
{
    private static double[] Values(int n, int seed) => Enumerable.Range(0, n).Select(i => Math.Sin(i * 1.7 + seed) * 3).ToArray();

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void Every_unary_and_binary_function_matches_the_CPU(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 3, 4, 5);
        var y = b.Input("y", dtype, 4, 1);
        var fetches = new List<Node>();
        foreach (var f in Enum.GetValues<UnaryFunction>())
        {
            var operand = f is UnaryFunction.Log or UnaryFunction.Sqrt ? b.Apply(new UnaryOp(UnaryFunction.Abs), x) : x;
            fetches.Add(b.Apply(new UnaryOp(f), operand));
        }
        foreach (var f in Enum.GetValues<BinaryFunction>()) fetches.Add(b.Apply(new BinaryOp(f), x, y));
        var program = GraphProgram.Inference([.. fetches]);
        EmulatorParity.AssertMatchesCpu(program, Feeds(dtype, ("x", 60), ("y", 4)));
    }

    [Fact]
    public void A_chain_with_broadcasts_becomes_one_kernel()
    {
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 2, 3, 4, 4);
        var scale = b.Input("scale", DType.F32, 1, 3, 1, 1);
        var shift = b.Input("shift", DType.F32, 3, 1, 1);
        var mask = b.Input("mask", DType.F32, 2, 3, 4, 4);
        var h = b.Relu(b.Add(b.Mul(x, scale), shift));
        var y = b.Where(mask, h, b.Scalar(0.5, DType.F32));
        var plan = EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(y),
            Feeds(DType.F32, ("x", 96), ("scale", 3), ("shift", 3), ("mask", 96)));
        var launches = plan.Commands.OfType<LaunchCommand>().ToList();
        Assert.Single(launches);
        Assert.Equal(4, plan.Fusion.GroupOf(y)!.Members.Count); // mul, add, relu, where
        // Interior members have no memory: only inputs, the constant and the result are placed.
        Assert.False(plan.Addresses.ContainsKey(h));
    }

    [Fact]
    public void A_value_read_twice_outside_its_chain_is_materialised_once()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 10);
        var e = b.Apply(new UnaryOp(UnaryFunction.Exp), x);
        var r = b.Apply(new ReduceOp(ReduceFunction.Sum, [0], keepDims: false), e);
        var y = b.Mul(e, e);
        var plan = CudaPlanner.Plan(GraphProgram.Inference(y, r));
        Assert.True(plan.Addresses.ContainsKey(e));
        Assert.NotSame(plan.Fusion.GroupOf(e), plan.Fusion.GroupOf(y));
    }

    [Fact]
    public void Casts_to_integers_truncate_toward_zero()
    {
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 8);
        var i = b.Cast(x, DType.I32);
        var back = b.Cast(i, DType.F64);
        EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(i, back),
            new Dictionary<string, Array> { ["x"] = new float[] { -2.5f, -1.5f, -0.5f, 0, 0.5f, 1.5f, 2.99f, -7.01f } });
    }

    internal static Dictionary<string, Array> Feeds(DType dtype, params (string Name, int Count)[] inputs) =>
        inputs.ToDictionary(i => i.Name, i =>
        {
            var v = Values(i.Count, i.Name.Length);
            return dtype == DType.F32 ? (Array)v.Select(x => (float)x).ToArray() : v;
        });
}
