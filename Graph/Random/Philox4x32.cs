using System.Runtime.CompilerServices;

namespace StaticGraph.Random;

/// <summary>
/// The Philox4x32-10 counter-based generator (Salmon et al., SC 2011): a bijection of a 128-bit
/// counter under a 64-bit key. Every random number in the library is one of its outputs, so a draw
/// is a pure function of (key, counter) on every backend.
/// </summary>
public static class Philox4x32
{
    /// <summary>Round multipliers.</summary>
    public const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57;

    /// <summary>Key schedule increments (the golden ratio and sqrt(3)-1 in 32 bits).</summary>
    public const uint W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    /// <summary>Number of rounds.</summary>
    public const int Rounds = 10;

    /// <summary>Encrypts counter (c0..c3) under key (k0, k1), giving four 32-bit outputs.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint X0, uint X1, uint X2, uint X3) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1)
    {
        for (var r = 0; r < Rounds; r++)
        {
            if (r > 0)
            {
                k0 += W0;
                k1 += W1;
            }
            var p0 = (ulong)M0 * c0;
            var p1 = (ulong)M1 * c2;
            var (hi0, lo0) = ((uint)(p0 >> 32), (uint)p0);
            var (hi1, lo1) = ((uint)(p1 >> 32), (uint)p1);
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0);
        }
        return (c0, c1, c2, c3);
    }
}
