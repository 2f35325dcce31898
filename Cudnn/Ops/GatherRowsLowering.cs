using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Gather rows: <c>sg_gather_rows_*</c>, one thread per output element copying from the row its index names. A kernel
/// cannot throw, so an index outside the source (which the CPU backend reports as an error) yields a zero row.
/// </summary>
[CudaLoweringFor(typeof(GatherRowsOp))]
internal sealed class GatherRowsLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var (x, y) = (ctx.Node.Inputs[0], ctx.Node);
        var rowLength = x.Shape.Product(1, x.Shape.Rank);
        ctx.Launch(Kernel(y.DType), y.Shape.ElementCount, ctx.InputArg(0), ctx.InputArg(1), ctx.OutputArg,
            KernelArg.I64(y.Shape.ElementCount), KernelArg.I64(rowLength), KernelArg.I32(x.Shape[0]));
    }

    private static CudaKernelSource Kernel(DType dtype)
    {
        var t = KernelTypes.CType(dtype);
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    long long r = i / row_length, j = i - r * row_length;
                    int k = idx[r];
                    y[i] = (k >= 0 && k < rows) ? x[(long long)k * row_length + j] : ({{t}})0;
                }
            """;
        return CudaKernelSource.Create($"sg_gather_rows_{StridedCopyKernel.Suffix(dtype)}",
            [
                KernelTypes.Pointer(dtype, "x"), KernelTypes.Pointer(DType.I32, "idx"), KernelTypes.Pointer(dtype, "y", isConst: false),
                KernelTypes.Count, new("long long", "row_length"), new("int", "rows"),
            ],
            body);
    }
}
