using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using Xunit;

namespace StaticGraph.Tests.Cpu;

/// <summary>
/// A compiled training step allocates nothing, on any thread: 50 steps of the two benchmarked models, on two threads,
/// leave the managed allocation counters of the calling thread and of every worker thread where they were.
/// </summary>
public class StepAllocationTests
{
    [Theory]
    [InlineData("resnet-preact-20", "", 1, 28)]
    [InlineData("shake-shake-26-2x32d", "shake-image", 3, 32)]
    public void Fifty_training_steps_allocate_nothing_on_any_thread(string model, string variant, int channels, int size)
    {
        const int batch = 4;
        var (program, loss, _) = ZooTrainingPrograms.Build(model, variant, channels, size, batch);
        using var run = CpuBackend.Instance.CompileCpu(program, new CompileOptions(Seed: 2, Threads: 2));
        var random = new System.Random(4);
        run.SetInput<float>("image", Enumerable.Range(0, batch * channels * size * size).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray());
        run.SetInput<int>("label", [1, 3, 5, 7]);
        // The first steps warm up lazily initialised runtime state (tiered compilation promotes a method after 30 calls).
        // A one-off 24 bytes on the calling thread, seen once in CI, was the caller's first blocking wait for a worker;
        // the workers now pay that when they are built (CpuWorkersTests).
        for (var i = 0; i < 40; i++) run.Run();

        var (callerBefore, workersBefore) = (GC.GetAllocatedBytesForCurrentThread(), run.WorkerAllocatedBytes);
        for (var i = 0; i < 50; i++) run.Run();
        var (caller, workers) = (GC.GetAllocatedBytesForCurrentThread() - callerBefore, run.WorkerAllocatedBytes - workersBefore);

        Assert.Equal((0L, 0L), (caller, workers));
        Assert.True(float.IsFinite(run.Read<float>(loss)[0]));
    }
}
