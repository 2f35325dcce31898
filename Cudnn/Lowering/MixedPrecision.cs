using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// The conversions around a 16-bit convolution or GEMM of mixed precision. Storage stays f32 (master weights,
/// activations, gradients), so a lowering converts its inputs into scratch, runs cuDNN or cuBLAS on the 16-bit copies
/// (accumulating in f32), and converts a 16-bit result back into the node's f32 output. In FP16 the incoming gradient of
/// a backward product is multiplied by the loss scale S on its way to half, where small gradients would otherwise flush
/// to zero, and the product divided by S on its way back; every FP16 conversion raises the control block's overflow flag
/// when it meets an infinity or NaN (forward ones too: a step whose activations overflowed has useless gradients, and
/// PyTorch's scaler skips it as well).
/// </summary>
internal static class MixedPrecision
{
    /// <summary>The 16-bit storage type of <paramref name="precision"/>.</summary>
    public static DType StorageType(ComputePrecision precision) => precision switch
    {
        ComputePrecision.BF16 => DType.BF16,
        ComputePrecision.F16 => DType.F16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "f32 has no 16-bit storage type"),
    };

    /// <summary>
    /// Converts <paramref name="count"/> f32 values at <paramref name="source"/> into fresh scratch in the node's 16-bit
    /// type and returns the copy; <paramref name="gradient"/> multiplies by the loss scale in FP16.
    /// </summary>
    public static DeviceAddress ToHalf(LoweringContext ctx, DeviceAddress source, long count, bool gradient)
    {
        var half = ctx.Scratch(count * 2);
        var (x, y, n) = (KernelArg.Pointer(source), KernelArg.Pointer(half), KernelArg.I64(count));
        if (ctx.Precision == ComputePrecision.BF16) ctx.Launch(HalfPrecisionSource.F32ToBf16, count, x, y, n);
        else if (gradient) ctx.Launch(HalfPrecisionSource.F32ToF16Scaled, count, x, y, n, LossScale(ctx), OverflowFlag(ctx));
        else ctx.Launch(HalfPrecisionSource.F32ToF16, count, x, y, n, OverflowFlag(ctx));
        return half;
    }

    /// <summary>Converts a 16-bit result back to f32 at <paramref name="target"/>; <paramref name="gradient"/> divides by the loss scale in FP16.</summary>
    public static void ToSingle(LoweringContext ctx, DeviceAddress half, DeviceAddress target, long count, bool gradient)
    {
        var (x, y, n) = (KernelArg.Pointer(half), KernelArg.Pointer(target), KernelArg.I64(count));
        if (ctx.Precision == ComputePrecision.BF16) ctx.Launch(HalfPrecisionSource.Bf16ToF32, count, x, y, n);
        else if (gradient) ctx.Launch(HalfPrecisionSource.F16ToF32Unscaled, count, x, y, n, LossScale(ctx), OverflowFlag(ctx));
        else ctx.Launch(HalfPrecisionSource.F16ToF32, count, x, y, n, OverflowFlag(ctx));
    }

    /// <summary>Divides <paramref name="count"/> f32 values at <paramref name="target"/> by the loss scale (FP16 only).</summary>
    public static void Unscale(LoweringContext ctx, DeviceAddress target, long count) =>
        ctx.Launch(HalfPrecisionSource.UnscaleF32, count, KernelArg.Pointer(target), KernelArg.I64(count), LossScale(ctx));

    /// <summary>
    /// Emits a convolution in the node's precision: one command in the node's dtype, or in mixed precision the conversions
    /// of its two operands, the 16-bit command into scratch, and the conversion of the result into its f32 place. The
    /// incoming gradient (Y for backward-data, the second operand of backward-filter) is the one loss-scaled.
    /// </summary>
    public static void Convolution(LoweringContext ctx, ConvolutionDirection direction, ConvolutionGeometry g, DeviceAddress x, DeviceAddress w, DeviceAddress y)
    {
        if (ctx.Precision == ComputePrecision.F32)
        {
            ctx.Emit(new ConvolutionCommand(ctx.Node, direction, g, ctx.Node.DType, x, w, y));
            return;
        }
        var type = StorageType(ctx.Precision);
        var xCount = (long)g.N * g.C * g.H * g.W;
        var wCount = (long)g.K * (g.C / g.Groups) * g.R * g.S;
        var yCount = (long)g.N * g.K * g.OutH * g.OutW;
        // The result of the direction gets 16-bit scratch, its two operands converted copies; the operand Y of a
        // backward direction is the incoming gradient.
        var xh = direction == ConvolutionDirection.BackwardData ? ctx.Scratch(xCount * 2) : ToHalf(ctx, x, xCount, gradient: false);
        var wh = direction == ConvolutionDirection.BackwardFilter ? ctx.Scratch(wCount * 2) : ToHalf(ctx, w, wCount, gradient: false);
        var yh = direction == ConvolutionDirection.Forward ? ctx.Scratch(yCount * 2) : ToHalf(ctx, y, yCount, gradient: true);
        ctx.Emit(new ConvolutionCommand(ctx.Node, direction, g, type, xh, wh, yh));
        if (direction == ConvolutionDirection.Forward) ToSingle(ctx, yh, y, yCount, gradient: false);
        else if (direction == ConvolutionDirection.BackwardData) ToSingle(ctx, xh, x, xCount, gradient: true);
        else ToSingle(ctx, wh, w, wCount, gradient: true);
    }

    /// <summary>
    /// True when <paramref name="n"/> is a gradient: in a training program, the backward pass is appended after the loss,
    /// so a node created after it belongs to the backward pass. A wrong guess costs only range, never correctness: the
    /// scale is undone exactly after the product.
    /// </summary>
    public static bool IsGradient(LoweringContext ctx, Node n) => ctx.Program.Loss is { } loss && n.Id > loss.Id;

    private static KernelArg LossScale(LoweringContext ctx)
    {
        ctx.UseLossScale();
        return KernelArg.Pointer(DeviceAddress.Arena(CudaPlan.LossScaleOffset));
    }

    private static KernelArg OverflowFlag(LoweringContext ctx)
    {
        ctx.UseLossScale();
        return KernelArg.Pointer(DeviceAddress.Arena(CudaPlan.OverflowFlagOffset));
    }
}
