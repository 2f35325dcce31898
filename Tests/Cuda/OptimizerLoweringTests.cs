using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// The fused SGD updates on the emulator: bitwise the CPU's (stronger than the kit's per-op bound, as the update is the
/// same correctly rounded expression on both). Whole steps with them are the conformance kit's.
/// </summary>
public class OptimizerLoweringTests
{
    [Theory]
    [InlineData(DType.F32, false)]
    [InlineData(DType.F32, true)]
    [InlineData(DType.F64, false)]
    [InlineData(DType.F64, true)]
    public void Sgd_updates_are_bitwise_the_CPU_updates(DType dtype, bool nesterov)
    {
        var b = new GraphBuilder(dtype);
        var (p, g, v) = (b.Input("p", dtype, 5, 7), b.Input("g", dtype, 5, 7), b.Input("v", dtype, 5, 7));
        var lr = b.Input("lr", dtype);
        // Constants that are not exact in binary, so a wrongly rounded literal would show.
        var velocity = b.Apply(new SgdVelocityOp(0.9, 3e-4), v, g, p);
        var parameter = b.Apply(new SgdParamOp(0.9, 3e-4, nesterov), p, g, velocity, lr);
        var feeds = ElementwiseLoweringTests.Feeds(dtype, ("p", 35), ("g", 35), ("v", 35));
        feeds["lr"] = ReductionLoweringTests.Typed(dtype, [0.1]);
        EmulatorParity.AssertMatchesCpu(GraphProgram.Inference(velocity, parameter), feeds, f32Tolerance: 0, f64Tolerance: 0);
    }
}
