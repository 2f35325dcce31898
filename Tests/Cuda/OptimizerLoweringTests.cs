using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>The fused SGD updates and whole training steps built on batch normalisation, on the emulator against the CPU.</summary>
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

    [Theory]
    [InlineData(DType.F32, false)]
    [InlineData(DType.F32, true)]
    [InlineData(DType.F64, false)]
    [InlineData(DType.F64, true)]
    public void A_batch_norm_network_trains_like_the_CPU(DType dtype, bool nesterov)
    {
        // x [4,3,5,5] -> batch norm (learned scale and shift, running statistics) -> relu -> global mean -> weighted
        // sum -> softmax cross-entropy: every op of this group and its gradient, plus the SGD state updates.
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 4, 3, 5, 5);
        var labels = b.Input("labels", DType.I32, 4);
        var h = b.Relu(b.BatchNorm(b.Scale(x, 2), name: "bn"));
        var pooled = b.GlobalAvgPool(h);
        var w = b.Parameter("w", Initializer.Constant(0.5), [4, 3]);
        var logits = b.Mul(pooled, w);
        var loss = b.Add(b.SoftmaxCrossEntropy(logits, labels, 0.1), b.Scale(b.SumAll(b.ReduceMax(h, [2, 3])), 0.01));
        var program = Autodiff.Train(loss, new Sgd(0.9, 5e-4, nesterov), Schedule.Constant(0.1));
        var feeds = ElementwiseLoweringTests.Feeds(dtype, ("x", 300));
        feeds["labels"] = new[] { 0, 2, 1, 2 };
        EmulatorParity.AssertMatchesCpu(program, feeds, runs: 3);
    }
}
