using System.Runtime.CompilerServices;

namespace StaticGraph.Random;

/// <summary>
/// The library's one counter layout for Philox: key = the run's seed; counter words =
/// (element index, draw index, stream id of the node, training step). A random tensor is thus a
/// pure function of (seed, node, step), independent of thread count, order and device.
/// </summary>
public static class RandomStream
{
    /// <summary>The draw index reserved for variable initialisers, apart from every random op's draws.</summary>
    public const uint InitializerDraw = 0xFFFF_FFFF;

    /// <summary>The four words for (seed, element, draw, stream, step).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint X0, uint X1, uint X2, uint X3) Bits(ulong seed, uint element, uint draw, uint stream, uint step) =>
        Philox4x32.Block(element, draw, stream, step, (uint)seed, (uint)(seed >> 32));

    /// <summary>A float in [0, 1) from the top 24 bits of a word (exactly representable, so identical on every device).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float UniformF32(uint word) => (word >> 8) * (1.0f / 16777216.0f);

    /// <summary>A double in [0, 1) from 53 bits of two words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double UniformF64(uint hi, uint lo) => ((((ulong)hi << 32) | lo) >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>A standard normal by Box–Muller from four words (double precision).</summary>
    public static double Normal((uint X0, uint X1, uint X2, uint X3) w)
    {
        var u1 = 1.0 - UniformF64(w.X0, w.X1); // (0, 1]: the log stays finite
        var u2 = UniformF64(w.X2, w.X3);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
