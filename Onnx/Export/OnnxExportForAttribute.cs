namespace StaticGraph.Onnx.Export;

/// <summary>
/// Marks the class that writes one op type as ONNX, as <c>[CpuKernelFor]</c> marks a kernel: an op's
/// ONNX form is found by its type, so adding one is a class of its own and nothing central to edit.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
internal sealed class OnnxExportForAttribute(Type opType) : Attribute
{
    /// <summary>The op type the marked class writes.</summary>
    public Type OpType { get; } = opType;
}
