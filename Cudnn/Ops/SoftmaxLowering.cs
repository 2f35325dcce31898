using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Softmax and log-softmax along the last axis: <c>sg_softmax_{softmax|log}_T</c>, one thread per row, with the CPU
/// kernel's steps (subtract the row's maximum, exponentiate into the output row, sum in the element type, then divide, or
/// subtract the log of the sum from the shifted logits). Rows are independent, so no scratch is needed.
/// </summary>
[CudaLoweringFor(typeof(SoftmaxOp))]
internal sealed class SoftmaxLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var log = ((SoftmaxOp)ctx.Node.Op).Function == SoftmaxFunction.LogSoftmax;
        var length = ctx.Node.Shape[-1];
        var rows = length == 0 ? 0 : ctx.Node.Shape.ElementCount / length;
        if (rows == 0) return;
        ctx.Launch(Kernel(log, ctx.Type), rows, ctx.InputArg(0), ctx.OutputArg, KernelArg.I64(rows), KernelArg.I64(length));
    }

    private static CudaKernelSource Kernel(bool log, KernelType type)
    {
        var (t, f) = (type.C(), type.MathSuffix());
        var name = $"sg_softmax_{(log ? "log" : "softmax")}_{type.Suffix()}";
        var normalise = log
            ? $"const {t} lse = log{f}(sum);\n            for (long long k = 0; k < length; ++k) yr[k] = (xr[k] - mx) - lse;"
            : "for (long long k = 0; k < length; ++k) yr[k] = yr[k] / sum;";
        KernelParameter[] parameters = [new($"const {t}* __restrict__", "x"), new($"{t}* __restrict__", "y"), KernelTypes.Count, new("long long", "length")];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    const {{t}}* xr = x + i * length;
                    {{t}}* yr = y + i * length;
                    {{t}} mx = xr[0];
                    for (long long k = 1; k < length; ++k) mx = {{MaxHelper.Name(type)}}(mx, xr[k]);
                    {{t}} sum = ({{t}})0;
                    for (long long k = 0; k < length; ++k)
                    {
                        yr[k] = exp{{f}}(xr[k] - mx);
                        sum += yr[k];
                    }
                    {{normalise}}
                }
            """;
        return CudaKernelSource.Create(name, parameters, body, MaxHelper.Of(type));
    }
}
