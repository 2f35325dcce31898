using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Scatter-add rows: <c>sg_scatter_add_rows_*</c>, a gather with no atomics. One thread per output element scans the
/// indices in order and adds the value rows that land on its row, starting from zero: the CPU's summation order, so
/// the result is deterministic and bitwise equal to it.
/// </summary>
[CudaLoweringFor(typeof(ScatterAddRowsOp))]
internal sealed class ScatterAddRowsLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var (values, y) = (ctx.Node.Inputs[0], ctx.Node);
        ctx.Launch(Kernel(ctx.Type), y.Shape.ElementCount, ctx.InputArg(0), ctx.InputArg(1), ctx.OutputArg,
            KernelArg.I64(y.Shape.ElementCount), KernelArg.I64(y.Shape.Product(1, y.Shape.Rank)), KernelArg.I32(values.Shape[0]));
    }

    private static CudaKernelSource Kernel(KernelType type)
    {
        var t = type.C();
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    long long r = i / row_length, j = i - r * row_length;
                    {{t}} sum = ({{t}})0;
                    for (int k = 0; k < m; k++)
                        if (idx[k] == r) sum += values[(long long)k * row_length + j];
                    y[i] = sum;
                }
            """;
        return CudaKernelSource.Create($"sg_scatter_add_rows_{type.Suffix()}",
            [
                new($"const {t}* __restrict__", "values"), KernelTypes.Pointer(DType.I32, "idx"), new($"{t}* __restrict__", "y"),
                KernelTypes.Count, new("long long", "row_length"), new("int", "m"),
            ],
            body);
    }
}
