using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Cpu;

/// <summary>The CPU executable's profile: per op, and per op and input shapes (which layers an op's time goes to).</summary>
public class ProfileTests
{
    [Fact]
    public void Times_are_counted_per_op_and_per_layer_shape()
    {
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 2, 3, 8, 8);
        var y = b.Conv2d(b.Conv2d(x, outChannels: 4, kernel: 3, padding: 1), outChannels: 5, kernel: 1);
        using var run = CpuBackend.Instance.CompileCpu(GraphProgram.Inference(y), new CompileOptions(Threads: 1));
        run.SetInput<float>("x", new float[2 * 3 * 8 * 8]);
        run.Run();
        Assert.Empty(run.ProfileByOp());

        run.Profile = true;
        run.Run();
        run.Run();

        Assert.Equal([("conv2d", 4)], run.ProfileByOp().Select(p => (p.Op, p.Calls)));
        Assert.Equal(
            [("conv2d", "[2,3,8,8] [4,3,3,3]", 2), ("conv2d", "[2,4,8,8] [5,4,1,1]", 2)],
            run.ProfileByShape().Select(p => (p.Op, p.Inputs, p.Calls)).OrderBy(p => p.Inputs, StringComparer.Ordinal));
        Assert.All(run.ProfileByShape(), p => Assert.True(p.Seconds > 0));
        Assert.Equal(run.ProfileByOp()[0].Seconds, run.ProfileByShape().Sum(p => p.Seconds), 9);
    }
}
