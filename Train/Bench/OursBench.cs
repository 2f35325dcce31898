using System.Diagnostics;
using StaticGraph.Backend.Cpu;
using StaticGraph.Train.Training;

namespace StaticGraph.Train.Bench;

/// <summary>
/// Times our side of a workload in this process: the model compiled for training on the settings' backend (SGD with
/// Nesterov momentum 0.9, weight decay 5e-4, learning rate 0.1, as the peer), one batch of random images and labels,
/// three untimed steps (first-run costs: page faults, algorithm choice, graph capture), then the timed ones.
/// </summary>
public static class OursBench
{
    /// <summary>Untimed steps before the clock starts, on both sides.</summary>
    public const int WarmupSteps = 3;

    /// <summary>Lines of the profile's breakdown by input shapes (a model's layers of one kind differ mostly in shape).</summary>
    private const int ShapesShown = 12;

    /// <summary>
    /// Measures <paramref name="workload"/>. With <paramref name="memory"/> it also takes the memory measure: on the
    /// CPU the peak resident set during the timed steps minus the resident set before the model was built (meaningful
    /// only in a process of its own, see <see cref="BenchWorker"/>); on a GPU the bytes the training executable holds
    /// there (<see cref="StaticGraph.Backend.IExecutable.AllocatedBytes"/>). With <paramref name="profile"/> (CPU only) the time per op of the timed steps is
    /// written there, from extra profiled steps that do not count in the figure: elapsed, and the process's processor
    /// time (with one thread, the measure that other work on the machine does not distort).
    /// </summary>
    public static OursResult Measure(BenchWorkload workload, BenchSettings settings, bool memory = false, TextWriter? profile = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var backend = DeviceChoice.Resolve(settings.Device, null, settings.Precision);
        var cpu = settings.Device == "cpu";
        var before = memory && cpu ? ResidentMemory.CurrentKib() : 0;
        var (batch, size) = (settings.BatchSize, workload.Size);
        using var session = new ModelSession(workload.Build(), batch, workload.Channels, size, size, BenchWorkload.Classes,
            new Sgd(0.9, 5e-4, true), Schedule.Constant(0.1), seed: 0, settings.Threads, backend: backend);
        var rng = new System.Random(0);
        var images = new float[batch * workload.Channels * size * size];
        for (var i = 0; i < images.Length; i++) images[i] = (float)(rng.NextDouble() * 2 - 1);
        var labels = new int[batch];
        for (var i = 0; i < labels.Length; i++) labels[i] = rng.Next(BenchWorkload.Classes);
        session.Training.SetInput<float>(ModelSession.ImageInput, images);
        session.Training.SetInput<int>(ModelSession.LabelInput, labels);
        for (var i = 0; i < WarmupSteps; i++) session.Training.Run();

        using var peak = memory && cpu ? ResidentPeak.Start() : null;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < settings.Steps; i++) session.Training.Run();
        var imagesPerSecond = (double)batch * settings.Steps / clock.Elapsed.TotalSeconds;
        double? mib = !memory ? null
            : peak is not null ? (peak.StopKib() - before) / 1024.0
            : session.Training.AllocatedBytes / (1024.0 * 1024.0);

        if (profile is not null && session.Training is CpuExecutable profiled)
        {
            profiled.Profile = true;
            for (var i = 0; i < settings.Steps; i++) profiled.Run();
            var processor = profiled.ProcessorTimeByOp().ToDictionary(p => p.Op, p => p.Seconds);
            foreach (var (op, seconds, calls) in profiled.ProfileByOp())
                profile.WriteLine($"{op,-28} {seconds / settings.Steps * 1000,9:F2} ms/step {calls / settings.Steps,5} calls/step {processor[op] / settings.Steps * 1000,9:F2} ms/step of processor time");
            profile.WriteLine($"the {ShapesShown} slowest by input shapes:");
            foreach (var (op, inputs, seconds, calls) in profiled.ProfileByShape().Take(ShapesShown))
                profile.WriteLine($"  {op,-26} {inputs,-44} {seconds / settings.Steps * 1000,9:F2} ms/step {calls / settings.Steps,5} calls/step");
        }
        return new OursResult(imagesPerSecond, session.ParameterCount, mib);
    }
}
