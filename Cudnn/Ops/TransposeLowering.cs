using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>Transpose: the strided copy of the output, whose axis d steps through the input by the stride of axis perm[d].</summary>
[CudaLoweringFor(typeof(TransposeOp))]
internal sealed class TransposeLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (TransposeOp)ctx.Node.Op;
        var (x, y) = (ctx.Node.Inputs[0], ctx.Node);
        var inStrides = x.Shape.Strides();
        var extents = StridedCopyKernel.Extents(y.Shape);
        StridedCopyKernel.Launch(ctx, y.DType, ctx.Input(0), ctx.Output, extents, y.Shape.Strides(),
            op.Permutation.Select(a => inStrides[a]).ToArray(), new long[extents.Length], extents);
    }
}
