using StaticGraph.Backend;
using StaticGraph.Cuda.Backend;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// The CUDA backend on a real GPU beyond what the conformance kit compares: the update guard. The comparisons with the
/// CPU (every op, random draws bit for bit, every model's step, repeated runs, graph replay against eager issue) are the
/// kit's, run on the GPU by <c>GpuF32ConformanceTests</c> and <c>GpuF64ConformanceTests</c> and by <c>device-check</c>.
/// Without a GPU every test here reports skipped, naming what is missing.
/// </summary>
public class GpuParityTests
{
    private static readonly string? Unavailable = CudaBackend.Unavailable();

    private static void RequireGpu()
    {
        if (Unavailable is { } why) Assert.Skip("no usable GPU: " + why);
    }
    [Fact]
    public void A_non_finite_update_is_refused_and_names_the_node()
    {
        RequireGpu();
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 4);
        var w = b.Parameter("w", new ConstantInit(1), [4]);
        var loss = b.Sum(b.Mul(b.Apply(new UnaryOp(UnaryFunction.Log), x), w), [0]);
        var program = Autodiff.Train(loss, new Sgd(0.9, 0, false), Schedule.Constant(0.1));
        using var gpu = CudaBackend.Default.Compile(program, new CompileOptions());
        gpu.GuardUpdates = true;
        gpu.SetInput<float>("x", [1, 2, 0, 3]); // log(0) = -inf: the gradient of w is infinite
        var before = gpu.ReadVariable<float>("w");
        Assert.Throws<StaticGraph.Backend.NonFiniteValueException>(gpu.Run);
        Assert.Equal(before, gpu.ReadVariable<float>("w"));
        Assert.Equal(0, gpu.Step);
    }
}
