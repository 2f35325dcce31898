namespace StaticGraph.Train.Bench;

/// <summary>What the PyTorch peer printed.</summary>
/// <param name="ImagesPerSecond">Training images per second over its timed steps.</param>
/// <param name="ParameterCount">Its model's trainable scalars, when it printed them.</param>
/// <param name="MemoryMib">Its memory measure in MiB (<c>step_mib</c> or <c>peak_mib</c>), when asked for.</param>
/// <param name="DeviceName">The GPU it ran on (<c>torch.cuda.get_device_name</c>), on CUDA.</param>
public sealed record PeerResult(double ImagesPerSecond, long? ParameterCount, double? MemoryMib, string? DeviceName);
