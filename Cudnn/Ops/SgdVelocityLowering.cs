using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// The momentum update <c>m*v + (g + wd*p)</c> as an expression, so it fuses with the gradient chain and the parameter
/// update. The constants are rounded to the element type as the CPU's <c>T.CreateChecked</c> does, and with contraction
/// off the result is bitwise the CPU's.
/// </summary>
[CudaLoweringFor(typeof(SgdVelocityOp))]
internal sealed class SgdVelocityLowering : IElementwiseLowering
{
    public string Expression(Node node, IReadOnlyList<string> operands, ICollection<KernelHelper> helpers)
    {
        var op = (SgdVelocityOp)node.Op;
        var type = KernelTypes.Of(node.DType);
        var (v, g, p) = (operands[0], operands[1], operands[2]);
        return $"{SgdConstant.Literal(type, op.Momentum)} * {v} + ({g} + {SgdConstant.Literal(type, op.WeightDecay)} * {p})";
    }
}

/// <summary>Exact C literals of optimizer constants.</summary>
internal static class SgdConstant
{
    /// <summary>
    /// <paramref name="value"/> rounded to <paramref name="type"/> and written so that the C compiler reads back exactly
    /// that value: the round-trip decimal of the (widened) value, cast to the element type.
    /// </summary>
    public static string Literal(KernelType type, double value)
    {
        var rounded = type == KernelType.F32 ? (float)value : value;
        if (!double.IsFinite(rounded)) throw new NotSupportedException($"optimizer constant {value} is not finite");
        return $"(({type.C()}){rounded.ToString("R", System.Globalization.CultureInfo.InvariantCulture)})";
    }
}
