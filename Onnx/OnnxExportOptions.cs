namespace StaticGraph.Onnx;

/// <summary>
/// What an exported model is called and what it tells its users. The defaults are the contract of
/// <c>sgtrain export --format onnx</c>: one input <c>image</c> f32 [N,C,H,W], already normalised, and one output
/// <c>logits</c>; the normalisation a caller must apply travels in the model's metadata, because ONNX Runtime
/// users (ML.NET among them) read metadata_props, not our checkpoints.
/// </summary>
public sealed record OnnxExportOptions
{
    /// <summary>The metadata key of the per-channel mean subtracted from pixel/255 before the model.</summary>
    public const string NormalizeMeanKey = "normalize_mean";

    /// <summary>The metadata key of the per-channel standard deviation divided by after subtracting the mean.</summary>
    public const string NormalizeStdKey = "normalize_std";

    /// <summary>The name of the program's image input, and of the ONNX graph's input.</summary>
    public string InputName { get; init; } = "image";

    /// <summary>The name of the ONNX graph's one output (the program's one fetch).</summary>
    public string OutputName { get; init; } = "logits";

    /// <summary>
    /// The name of the symbolic leading dimension. The input's axis 0 is exported as this name, so a
    /// model built for 128 images runs on any number of them.
    /// </summary>
    public string BatchDimension { get; init; } = "N";

    /// <summary>Per-channel mean (on the 0..1 scale) written as <see cref="NormalizeMeanKey"/>; omitted when null.</summary>
    public IReadOnlyList<float>? NormalizeMean { get; init; }

    /// <summary>Per-channel standard deviation written as <see cref="NormalizeStdKey"/>; omitted when null.</summary>
    public IReadOnlyList<float>? NormalizeStd { get; init; }

    /// <summary>Further metadata_props entries (model name, data set...); keys must differ from the normalisation keys.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    /// <summary>The graph's name inside the model.</summary>
    public string GraphName { get; init; } = "staticgraph";
}
