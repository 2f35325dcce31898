namespace StaticGraph.Onnx.Export;

/// <summary>
/// Writes one node as ONNX nodes. An implementation reads its inputs' value names and batch factors from
/// the context, appends nodes and constants, and must <see cref="ExportContext.Define"/> the node's value;
/// what it cannot express it refuses with <see cref="OnnxExportException.For"/>.
/// </summary>
internal interface IOnnxOpExport
{
    /// <summary>Appends the ONNX form of <paramref name="node"/>.</summary>
    void Export(ExportContext cx, Node node);
}
