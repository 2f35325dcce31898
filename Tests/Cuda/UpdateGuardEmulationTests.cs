using StaticGraph.Backend;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// The update guard as the device runs it, in the emulator: the step's updates skip themselves when a guard launch saw a
/// NaN or infinity (the variables keep their values and the host throws), and apply when the guard is off, as on the CPU.
/// </summary>
public class UpdateGuardEmulationTests
{
    private static (GraphProgram Program, Node W) LogProgram()
    {
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 4);
        var w = b.Parameter("w", new ConstantInit(1), [4]);
        var loss = b.Sum(b.Mul(b.Apply(new UnaryOp(UnaryFunction.Log), x), w), [0]);
        return (Autodiff.Train(loss, new Sgd(0.9, 0, false), Schedule.Constant(0.1)), w);
    }

    [Fact]
    public void A_non_finite_update_is_skipped_on_the_device_and_reported()
    {
        EmulatorParity.RequireEmulator();
        var (program, _) = LogProgram();
        var plan = CudaPlanner.Plan(program);
        Assert.All(plan.Updates, u => Assert.Equal(GuardedUpdateKernel.Source.Name, u.Kernel.Name));
        using var emu = new PlanEmulator(plan, 1) { GuardUpdates = true };
        emu.SetInput<float>("x", [1, 2, 0, 3]); // log(0) = -inf: w's gradient is infinite
        Assert.Throws<NonFiniteValueException>(emu.Run);
        Assert.Equal([1f, 1f, 1f, 1f], emu.ReadVariable<float>("w"));
        Assert.Equal(0, emu.Step);

        emu.SetInput<float>("x", [1, 2, 0.5f, 3]);
        emu.Run();
        Assert.NotEqual([1f, 1f, 1f, 1f], emu.ReadVariable<float>("w"));
    }

    [Fact]
    public void Without_the_guard_a_non_finite_update_is_applied_as_on_the_CPU()
    {
        var (program, _) = LogProgram();
        EmulatorParity.AssertMatchesCpu(program, new Dictionary<string, Array> { ["x"] = new float[] { 1, 2, 0, 3 } });
    }
}
