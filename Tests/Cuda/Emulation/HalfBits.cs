namespace StaticGraph.Tests.Cuda.Emulation;

/// <summary>
/// The 16-bit formats on the host: IEEE half through <see cref="Half"/> (whose conversions round to nearest even), and
/// bfloat16 as the top half of an f32 (widening is a shift; narrowing rounds to nearest even, NaN kept NaN).
/// </summary>
internal static class HalfBits
{
    public static float Bf16ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    public static ushort SingleToBf16(float value)
    {
        var u = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((u >> 16) | 0x40);
        return (ushort)((u + 0x7FFFu + ((u >> 16) & 1)) >> 16);
    }

    public static float F16ToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    public static ushort SingleToF16(float value) => BitConverter.HalfToUInt16Bits((Half)value);
}
