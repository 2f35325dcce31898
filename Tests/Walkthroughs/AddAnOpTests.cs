using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Walkthroughs;

/// <summary>
/// The walkthrough "add an op" (docs/architecture.md) on its worked example, <see cref="SoftsignOp"/>, defined in this test
/// assembly: its CPU kernel computes the definition, its gradient rule agrees with central differences, and the CUDA
/// backend lowers it (fused with its neighbours) to the CPU's values, all through the backends' own registries.
/// </summary>
public class AddAnOpTests
{
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void The_CPU_kernel_computes_the_definition(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 7);
        var y = b.Softsign(x);
        using var run = CpuBackend.Instance.Compile(GraphProgram.Inference(y), new CompileOptions(Threads: 1));
        double[] values = [-3, -1, -0.25, 0, 0.5, 2, 100];
        if (dtype == DType.F32) run.SetInput<float>("x", [.. values.Select(v => (float)v)]);
        else run.SetInput<double>("x", values);
        run.Run();
        var actual = dtype == DType.F32 ? run.Read<float>(y).Select(v => (double)v).ToArray() : run.Read<double>(y);
        for (var i = 0; i < values.Length; i++)
            Assert.Equal(values[i] / (1 + Math.Abs(values[i])), actual[i], dtype == DType.F32 ? 1e-6 : 1e-15);
    }

    [Fact]
    public void Its_gradient_agrees_with_central_differences() =>
        StaticGraph.Conformance.GradientChecker.Check("softsign", (b, xs) => b.Mul(b.Softsign(xs[0]), xs[0]), [3, 5]);

    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void The_CUDA_backend_lowers_it_fused_with_its_neighbours(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 4, 6);
        var y = b.AddScalar(b.Softsign(b.Scale(x, 3)), 0.5);
        var plan = EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(y), ElementwiseLoweringTests.Feeds(dtype, ("x", 24)));
        // One fused kernel computes scale, softsign and the add: the new op joined the fusion pass like a built-in one.
        Assert.Single(plan.Kernels);
    }
}
