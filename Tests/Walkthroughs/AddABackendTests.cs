using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Models;
using StaticGraph.Tests.Cuda.Emulation;
using StaticGraph.Train.Training;
using Xunit;

namespace StaticGraph.Tests.Walkthroughs;

/// <summary>
/// The walkthrough "add a backend" (docs/architecture.md) on its worked example, the emulated CUDA backend of this test
/// assembly (<see cref="EmulatedCudaBackend"/>): offered by an assembly attribute, found by name, and trained on by the
/// command line's own session code with no edit to it.
/// </summary>
public class AddABackendTests
{
    [Fact]
    public void A_backend_offered_by_an_assembly_is_found_by_name()
    {
        Assert.Contains(EmulatedCudaBackendProvider.Key, Backends.Names);
        Assert.Contains(EmulatedCudaBackendProvider.Key, DeviceChoice.Names);
        // Never the automatic choice: its preference is below the CPU's.
        Assert.NotEqual(EmulatedCudaBackendProvider.Key, Backends.Default.Name);
    }

    [Fact]
    public void The_trainers_session_runs_on_it_by_name_and_matches_the_CPU()
    {
        EmulatorParity.RequireEmulator();
        float[] Step(string device)
        {
            using var session = new ModelSession(ModelZoo.Get("resnet-preact-20"), batchSize: 2, channels: 1, height: 8, width: 8, classes: 10,
                new Sgd(0.9, 5e-4, Nesterov: true), Schedule.Constant(0.1), seed: 3, threads: 1, backend: DeviceChoice.Resolve(device));
            session.Training.SetInput<float>(ModelSession.ImageInput, [.. Enumerable.Range(0, 2 * 64).Select(i => MathF.Sin(i * 0.3f))]);
            session.Training.SetInput<int>(ModelSession.LabelInput, [1, 7]);
            session.Training.Run();
            return [.. session.Training.Read<float>(session.Loss), .. session.Training.ReadVariable<float>("stem.weight")];
        }
        var cpu = Step("cpu");
        var emulated = Step(EmulatedCudaBackendProvider.Key);
        var scale = cpu.Max(MathF.Abs);
        Assert.All(cpu.Zip(emulated), p => Assert.True(MathF.Abs(p.First - p.Second) <= 1e-4f * scale, $"{p.First} vs {p.Second}"));
        Assert.IsType<CpuBackend>(DeviceChoice.Resolve("cpu"));
    }
}
