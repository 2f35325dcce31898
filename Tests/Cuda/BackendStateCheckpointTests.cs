using StaticGraph.Checkpoints;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// A backend's own state travels in checkpoints through the contract (<c>SaveState</c>/<c>RestoreState</c>), without the
/// trainer knowing what it is: an FP16 step's loss scale, after overflows, comes back in a fresh executable.
/// </summary>
public class BackendStateCheckpointTests
{
    [Fact]
    public void The_FP16_loss_scale_is_saved_and_restored_with_the_checkpoint()
    {
        EmulatorParity.RequireEmulator();
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 4, 8);
        var w = b.Parameter("w", Initializer.Uniform(0.5), [8, 3]);
        var loss = b.Scale(b.SumAll(b.MatMul(x, w)), 100);
        var training = Autodiff.Train(loss, new Sgd(0.9, 0, Nesterov: false), Schedule.Constant(0.01));
        var plan = CudaPlanner.Plan(training, new CudaPlanOptions(ComputePrecision.F16));
        EmulatorParity.CompileForGpu(plan);
        var x0 = (float[])ElementwiseLoweringTests.Feeds(DType.F32, ("x", 32))["x"];

        using var first = new PlanEmulator(plan, 7);
        first.SetInput<float>("x", x0);
        for (var i = 0; i < 3; i++) first.Run(); // each overflows: the scale halves three times
        Assert.False(first.LastStep.UpdatesApplied);
        var path = Path.Combine(Directory.CreateTempSubdirectory("sg-state").FullName, "c.sgck");
        CheckpointFile.Save(path, first, training, epoch: 0);
        Assert.Contains(CheckpointFile.Read(path).Metadata.Keys, k => k.StartsWith(CheckpointFile.BackendStatePrefix, StringComparison.Ordinal));

        using var second = new PlanEmulator(plan, 7);
        Assert.Equal(DynamicLossScale.DefaultInitialScale, second.LossScale!.Scale);
        CheckpointFile.Load(path, second, training);
        Assert.Equal((first.LossScale!.Scale, first.LossScale.GoodSteps, first.Step), (second.LossScale!.Scale, second.LossScale.GoodSteps, second.Step));
        Assert.Equal(4096f, second.LossScale.Scale);

        second.SetInput<float>("x", x0);
        for (var i = 0; i < 4; i++)
        {
            first.Run();
            second.Run();
            Assert.Equal(first.LastStep, second.LastStep);
            Assert.Equal(first.ReadVariable<float>("w"), second.ReadVariable<float>("w"));
        }
    }
}
