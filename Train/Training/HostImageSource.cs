using StaticGraph.Backend;
using StaticGraph.Data;

namespace StaticGraph.Train.Training;

/// <summary>
/// Batches assembled on the host from a plan (<see cref="BatchAssembler.AssemblePlanned"/>) and fed with
/// <see cref="IExecutable.SetInput"/>: the image source of a backend that keeps no images of its own (the CPU), giving the
/// same bits as a backend's own source given the same plan.
/// </summary>
public sealed class HostImageSource : IImageBatchSource
{
    private readonly ImageDataset _data;
    private readonly float[] _tables;
    private readonly float[] _images;
    private readonly int[] _labels;

    /// <summary>A source over <paramref name="data"/> for batches of up to <paramref name="maxBatch"/> images.</summary>
    public HostImageSource(ImageDataset data, bool normalize, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        _tables = BatchAssembler.ConversionTables(data, normalize);
        _images = new float[maxBatch * data.ImageSize];
        _labels = new int[maxBatch];
    }

    /// <inheritdoc/>
    public void Assemble(IExecutable target, string imageInput, string? labelInput, ReadOnlySpan<int> plan)
    {
        ArgumentNullException.ThrowIfNull(target);
        var count = plan.Length / ImageBatchPlan.Stride;
        if (count > _labels.Length) throw new ArgumentException($"a batch of {count} exceeds the {_labels.Length} this source was made for", nameof(plan));
        var images = _images.AsSpan(0, count * _data.ImageSize);
        var labels = _labels.AsSpan(0, count);
        BatchAssembler.AssemblePlanned(_data, plan, _tables, images, labels);
        target.SetInput<float>(imageInput, images);
        if (labelInput is not null) target.SetInput<int>(labelInput, labels);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }
}
