namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// The CUDA implementation of one op: turns a node into device commands (kernel launches, cuDNN or cuBLAS calls) with
/// every buffer fixed at plan time. One lowering per op type, found by <see cref="CudaLoweringForAttribute"/>.
/// </summary>
public interface ICudaLowering
{
    /// <summary>Emits the commands that compute <paramref name="ctx"/>'s node into its output.</summary>
    void Lower(LoweringContext ctx);
}

/// <summary>
/// An op whose value at each element depends only on its inputs at the same element (after broadcasting): it is lowered
/// as a C expression, and chains of such ops become one generated kernel (<see cref="FusedElementwiseKernel"/>).
/// </summary>
public interface IElementwiseLowering
{
    /// <summary>
    /// The C expression of <paramref name="node"/>'s value given its operands' values, each an expression of its input's C
    /// type. May use helpers it registers through <paramref name="helpers"/>.
    /// </summary>
    string Expression(Node node, IReadOnlyList<string> operands, ICollection<Kernels.KernelHelper> helpers);
}

/// <summary>Marks a class as the CUDA lowering of an op type; it needs a parameterless constructor.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class CudaLoweringForAttribute(Type opType) : Attribute
{
    /// <summary>The op type lowered.</summary>
    public Type OpType { get; } = opType;
}
