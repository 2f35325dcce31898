using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Mean softmax cross-entropy in two deterministic launches: <c>sg_softmax_cross_entropy_rows_{index|soft}_T</c>, one
/// thread per row writing that row's loss in double to scratch (the CPU kernel's formulas: a max-shifted log-sum-exp
/// summed in the element type, the loss combined in double), then <c>sg_softmax_cross_entropy_mean_T</c>, one thread
/// summing the rows in order. A class index outside [0, K) cannot fail the run on the device as it does on the CPU: its
/// row's loss is NaN, which the loss's finite check then reports.
/// </summary>
[CudaLoweringFor(typeof(SoftmaxCrossEntropyOp))]
internal sealed class SoftmaxCrossEntropyLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (SoftmaxCrossEntropyOp)ctx.Node.Op;
        var logits = ctx.Node.Inputs[0];
        var indices = ctx.Node.Inputs[1].DType == DType.I32;
        var (rows, classes) = (logits.Shape[0], logits.Shape[1]);
        var rowLoss = KernelArg.Pointer(ctx.Scratch(rows * sizeof(double)));
        ctx.Launch(RowsKernel(indices, ctx.Type), rows, ctx.InputArg(0), ctx.InputArg(1), rowLoss, KernelArg.I64(rows),
            KernelArg.I64(classes), KernelArg.F64(op.LabelSmoothing));
        ctx.Launch(MeanKernel(ctx.Type), 1, rowLoss, ctx.OutputArg, KernelArg.I64(rows));
    }

    private static CudaKernelSource RowsKernel(bool indices, KernelType type)
    {
        var t = type.C();
        var name = $"sg_softmax_cross_entropy_rows_{(indices ? "index" : "soft")}_{type.Suffix()}";
        var loss = indices
            ? $$"""
                    const int label = labels[i];
                    if (label < 0 || label >= classes) { rowLoss[i] = (double)__uint_as_float(0x7fc00000u); continue; }
                    // Smoothed one-hot targets sum to 1: loss = lse - (1 - eps) x_c - (eps / K) sum_k x_k.
                    double sumX = 0;
                    if (smoothing != 0)
                    {
                        {{t}} s = ({{t}})0;
                        for (long long k = 0; k < classes; ++k) s += xr[k];
                        sumX = (double)s;
                    }
                    rowLoss[i] = lse - (1 - smoothing) * (double)xr[label] - smoothing / (double)classes * sumX;
            """
            : $$"""
                    const {{t}}* tr = labels + i * classes;
                    double loss = 0;
                    for (long long k = 0; k < classes; ++k)
                    {
                        const double target = (1 - smoothing) * (double)tr[k] + smoothing / (double)classes;
                        loss += target * (lse - (double)xr[k]);
                    }
                    rowLoss[i] = loss;
            """;
        KernelParameter[] parameters =
        [
            new($"const {t}* __restrict__", "logits"),
            new($"const {(indices ? "int" : t)}* __restrict__", "labels"),
            new("double* __restrict__", "rowLoss"),
            KernelTypes.Count, new("long long", "classes"), new("double", "smoothing"),
        ];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    const {{t}}* xr = logits + i * classes;
            {{CrossEntropyRowSource.ShiftedExpSum(type)}}
                    const double lse = (double)mx + log((double)sum);
            {{loss}}
                }
            """;
        return CudaKernelSource.Create(name, parameters, body, MaxHelper.Of(type));
    }

    private static CudaKernelSource MeanKernel(KernelType type)
    {
        var t = type.C();
        var name = $"sg_softmax_cross_entropy_mean_{type.Suffix()}";
        KernelParameter[] parameters = [new("const double* __restrict__", "rowLoss"), new($"{t}* __restrict__", "loss"), new("long long", "rows")];
        var body = $$"""
                if (blockIdx.x != 0 || threadIdx.x != 0) return;
                double total = 0;
                for (long long r = 0; r < rows; ++r) total += rowLoss[r];
                loss[0] = ({{t}})(total / (double)rows);
            """;
        return CudaKernelSource.Create(name, parameters, body);
    }
}

/// <summary>The row computation the softmax cross-entropy kernels share.</summary>
internal static class CrossEntropyRowSource
{
    /// <summary>
    /// C statements that, given the row pointer <c>xr</c> and <c>classes</c>, declare <c>mx</c> (the row's maximum) and
    /// <c>sum</c> (the sum of <c>exp(x - mx)</c> in the element type), as the CPU's <c>ShiftedExp</c>.
    /// </summary>
    public static string ShiftedExpSum(KernelType type)
    {
        var (t, f) = (type.C(), type.MathSuffix());
        return $$"""
                    {{t}} mx = xr[0];
                    for (long long k = 1; k < classes; ++k) mx = {{MaxHelper.Name(type)}}(mx, xr[k]);
                    {{t}} sum = ({{t}})0;
                    for (long long k = 0; k < classes; ++k) sum += exp{{f}}(xr[k] - mx);
            """;
    }
}
