namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Uniform integers in 0 .. m-1 from random words by multiply-and-shift (floor(u * m) with u the
/// word read as a fraction): no division, no loop, and the same integer arithmetic on every device.
/// The bias is below m / 2^32 (or m / 2^64), far under what the uses here can notice.
/// </summary>
internal static class RandomIntegers
{
    /// <summary>floor(word * m / 2^32), in 0 .. m-1.</summary>
    public static int Below(uint word, int m) => (int)(((ulong)word * (uint)m) >> 32);

    /// <summary>floor(bits * m / 2^64), in 0 .. m-1 (CUDA: __umul64hi(bits, m)).</summary>
    public static int Below(ulong bits, int m) => (int)Math.BigMul(bits, (ulong)m, out _);
}
