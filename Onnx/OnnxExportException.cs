namespace StaticGraph.Onnx;

/// <summary>
/// The program cannot be written as standard ONNX. The message is one line naming the node and its
/// op (<c>node %12 'stage1.x' translate: ...</c>), so the caller can report it as is; nothing has been written.
/// </summary>
public sealed class OnnxExportException(string message) : Exception(message)
{
    /// <summary>The one-line message for <paramref name="node"/>: its id, name when it has one, op, and why.</summary>
    public static OnnxExportException For(Node node, string why) =>
        new($"node %{node.Id}{(node.Name is null ? "" : $" '{node.Name}'")} {node.Op.Name}: {why}");
}
