using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace StaticGraph.OnnxTests;

/// <summary>An exported model loaded into ONNX Runtime (CPU, 2 threads, quiet), run on NCHW float batches.</summary>
internal sealed class OrtModel : IDisposable
{
    private readonly InferenceSession _session;

    public OrtModel(byte[] model)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 2, InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        _session = new InferenceSession(model, options);
    }

    /// <summary>The model's metadata_props.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _session.ModelMetadata.CustomMetadataMap;

    /// <summary>The logits of <paramref name="images"/> [n, c, h, w], row-major.</summary>
    public float[] Run(float[] images, int n, int c, int h, int w)
    {
        var input = new DenseTensor<float>(images, [n, c, h, w]);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor("image", input)]);
        var logits = results.Single(r => r.Name == "logits");
        return [.. logits.AsEnumerable<float>()];
    }

    public void Dispose() => _session.Dispose();
}
