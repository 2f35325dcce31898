namespace StaticGraph.Train.Bench;

/// <summary>What timing our training step gave.</summary>
/// <param name="ImagesPerSecond">Training images per second over the timed steps.</param>
/// <param name="ParameterCount">Trainable scalars of the model (to check against the peer's).</param>
/// <param name="MemoryMib">The memory measure (<see cref="BenchMeasure.Memory"/>) in MiB, when it was asked for.</param>
public sealed record OursResult(double ImagesPerSecond, long ParameterCount, double? MemoryMib);
