namespace StaticGraph.Onnx.Export;

/// <summary>
/// The batch-factor rules the mappings share (see <see cref="ExportContext"/>): which output carries the
/// batch, and the refusals that keep B from being frozen into a model meant for any N.
/// </summary>
internal static class BatchAxis
{
    /// <summary>
    /// The factor of an elementwise (broadcasting) node: the batch inputs must be aligned with the output's
    /// axis 0 and agree; an input without a batch axis may broadcast along it only with a leading 1.
    /// </summary>
    public static int? Elementwise(ExportContext cx, Node node)
    {
        var rank = node.Shape.Rank;
        int? factor = null;
        foreach (var input in node.Inputs)
        {
            if (cx.FactorOf(input) is not { } k) continue;
            if (input.Shape.Rank != rank)
                throw OnnxExportException.For(node, $"input {input} ({input.Type}) has the batch axis but broadcasting moves it off axis 0 of {node.Type}");
            if (factor is { } other && other != k)
                throw OnnxExportException.For(node, $"its inputs hold {other}x and {k}x the batch");
            factor = k;
        }
        if (factor is null) return null;
        foreach (var input in node.Inputs)
        {
            if (cx.FactorOf(input) is null && input.Shape.Rank == rank && input.Shape[0] != 1)
                throw OnnxExportException.For(node, $"input {input} ({input.Type}) has a fixed leading dimension {input.Shape[0]} where the batch goes, so the model would only run on {node.Shape[0]} images");
        }
        return factor;
    }

    /// <summary>The factor of a node whose axis 0 is its first input's axis 0 (convolutions, pooling, normalisation).</summary>
    public static int? Leading(ExportContext cx, Node node) => cx.FactorOf(node.Inputs[0]);
}
