using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// Elementwise ops lowered to fused kernels: one kernel per chain. Every function's results against the CPU are the
/// conformance kit's op cases (<c>EmulatorF32ConformanceTests</c>, <c>EmulatorF64ConformanceTests</c>).
/// </summary>
public class ElementwiseLoweringTests
{
    private static double[] Values(int n, int seed) => Enumerable.Range(0, n).Select(i => Math.Sin(i * 1.7 + seed) * 3).ToArray();

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

    internal static Dictionary<string, Array> Feeds(DType dtype, params (string Name, int Count)[] inputs) =>
        inputs.ToDictionary(i => i.Name, i =>
        {
            var v = Values(i.Count, i.Name.Length);
            return dtype == DType.F32 ? (Array)v.Select(x => (float)x).ToArray() : v;
        });
}
