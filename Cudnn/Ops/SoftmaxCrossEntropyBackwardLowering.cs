using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// The fused logits gradient <c>(S softmax - t') * dloss / N</c>: <c>sg_softmax_cross_entropy_backward_{index|soft}_T</c>,
/// one thread per row with the CPU kernel's arithmetic (exponentials in the element type written to the output row,
/// then each element computed in double). A class index outside [0, K) makes its row NaN (the CPU fails the run).
/// </summary>
[CudaLoweringFor(typeof(SoftmaxCrossEntropyBackwardOp))]
internal sealed class SoftmaxCrossEntropyBackwardLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (SoftmaxCrossEntropyBackwardOp)ctx.Node.Op;
        var logits = ctx.Node.Inputs[0];
        var indices = ctx.Node.Inputs[1].DType == DType.I32;
        var (rows, classes) = (logits.Shape[0], logits.Shape[1]);
        ctx.Launch(Kernel(indices, ctx.Type), rows, ctx.InputArg(0), ctx.InputArg(1), ctx.InputArg(2), ctx.OutputArg,
            KernelArg.I64(rows), KernelArg.I64(classes), KernelArg.F64(op.LabelSmoothing));
    }

    private static CudaKernelSource Kernel(bool indices, KernelType type)
    {
        var (t, f) = (type.C(), type.MathSuffix());
        var name = $"sg_softmax_cross_entropy_backward_{(indices ? "index" : "soft")}_{type.Suffix()}";
        var setup = indices
            ? """
                    const int label = labels[i];
                    const bool valid = label >= 0 && label < classes;
                    const double targetSum = 1;
            """
            : $$"""
                    const {{t}}* tr = labels + i * classes;
                    const bool valid = true;
                    double targetSum = 0;
                    for (long long k = 0; k < classes; ++k) targetSum += (1 - smoothing) * (double)tr[k] + smoothing / (double)classes;
            """;
        var target = indices ? "(k == label ? 1.0 : 0.0)" : "(double)tr[k]";
        KernelParameter[] parameters =
        [
            new($"const {t}* __restrict__", "logits"),
            new($"const {(indices ? "int" : t)}* __restrict__", "labels"),
            new($"const {t}* __restrict__", "dloss"),
            new($"{t}* __restrict__", "dlogits"),
            KernelTypes.Count, new("long long", "classes"), new("double", "smoothing"),
        ];
        var body = $$"""
                const double scale = (double)dloss[0] / (double)n;
                {{KernelTypes.IndexLoop}}
                {
                    const {{t}}* xr = logits + i * classes;
                    {{t}}* yr = dlogits + i * classes;
                    {{t}} mx = xr[0];
                    for (long long k = 1; k < classes; ++k) mx = {{MaxHelper.Name(type)}}(mx, xr[k]);
                    {{t}} sum = ({{t}})0;
                    for (long long k = 0; k < classes; ++k)
                    {
                        yr[k] = exp{{f}}(xr[k] - mx);
                        sum += yr[k];
                    }
                    const double inverseSum = 1 / (double)sum;
            {{setup}}
                    for (long long k = 0; k < classes; ++k)
                    {
                        const double tk = {{target}};
                        const double p = (double)yr[k] * inverseSum;
                        const double smoothed = (1 - smoothing) * tk + smoothing / (double)classes;
                        yr[k] = valid ? ({{t}})((targetSum * p - smoothed) * scale) : ({{t}})__uint_as_float(0x7fc00000u);
                    }
                }
            """;
        return CudaKernelSource.Create(name, parameters, body, MaxHelper.Of(type));
    }
}
