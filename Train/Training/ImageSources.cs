using StaticGraph.Backend;
using StaticGraph.Data;

namespace StaticGraph.Train.Training;

/// <summary>Where a split's batches are assembled: by the backend where it keeps images of its own, else on the host.</summary>
public static class ImageSources
{
    /// <summary>The image source of <paramref name="backend"/> for <paramref name="data"/>, or a <see cref="HostImageSource"/>.</summary>
    public static IImageBatchSource For(IBackend backend, ImageDataset data, bool normalize, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(data);
        var tables = BatchAssembler.ConversionTables(data, normalize);
        var set = new ImageSet(data.Pixels, data.Labels, data.Channels, data.Height, data.Width, tables);
        return backend.CreateImageSource(set, maxBatch) ?? new HostImageSource(data, normalize, maxBatch);
    }
}
