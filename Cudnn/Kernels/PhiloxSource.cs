using System.Globalization;
using StaticGraph.Random;

namespace StaticGraph.Cuda.Kernels;

/// <summary>
/// The device side of the library's random-number contract, generated from the C# constants of <see cref="Philox4x32"/> and
/// <see cref="RandomStream"/>: Philox4x32-10, the counter layout (element, draw, stream, step) under the key = seed, and the
/// U24 (f32) and U53 (f64) conversions. Written with 64-bit products and plain integer arithmetic only, it compiles with NVRTC
/// and, through <c>SG_FN</c>, as host C too (for checking its bits on a machine without a GPU).
/// </summary>
public static class PhiloxSource
{
    private static string Hex(uint value) => "0x" + value.ToString("X8", CultureInfo.InvariantCulture) + "u";

    /// <summary>The literal the source uses for a 32-bit constant, e.g. <c>0xD2511F53u</c>.</summary>
    public static string Literal(uint value) => Hex(value);

    /// <summary>The helpers as a kernel helper (guarded, so any number of kernels can include them).</summary>
    public static KernelHelper Helper { get; } = new("philox", Code);

    /// <summary>The helpers with the prelude, as one piece of C (for compiling them alone on the host).</summary>
    public static string Helpers => KernelTypes.Prelude + Code;

    /// <summary>The helpers: <c>sg_philox</c>, <c>sg_random_bits</c>, <c>sg_uniform_f32</c>, <c>sg_uniform_f64</c>.</summary>
    private static string Code => $$"""
        #define SG_PHILOX_M0 {{Hex(Philox4x32.M0)}}
        #define SG_PHILOX_M1 {{Hex(Philox4x32.M1)}}
        #define SG_PHILOX_W0 {{Hex(Philox4x32.W0)}}
        #define SG_PHILOX_W1 {{Hex(Philox4x32.W1)}}
        #define SG_PHILOX_ROUNDS {{Philox4x32.Rounds.ToString(CultureInfo.InvariantCulture)}}
        #define SG_INITIALIZER_DRAW {{Hex(RandomStream.InitializerDraw)}}

        typedef struct { unsigned int x0, x1, x2, x3; } sg_u32x4;

        /* Philox4x32-10: counter (c0..c3) under key (k0, k1); the key is bumped before every round but the first. */
        SG_FN sg_u32x4 sg_philox(unsigned int c0, unsigned int c1, unsigned int c2, unsigned int c3, unsigned int k0, unsigned int k1)
        {
            for (int r = 0; r < SG_PHILOX_ROUNDS; ++r)
            {
                if (r > 0) { k0 += SG_PHILOX_W0; k1 += SG_PHILOX_W1; }
                unsigned long long p0 = (unsigned long long)SG_PHILOX_M0 * c0;
                unsigned long long p1 = (unsigned long long)SG_PHILOX_M1 * c2;
                unsigned int hi0 = (unsigned int)(p0 >> 32), lo0 = (unsigned int)p0;
                unsigned int hi1 = (unsigned int)(p1 >> 32), lo1 = (unsigned int)p1;
                unsigned int n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
                c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
            }
            sg_u32x4 out; out.x0 = c0; out.x1 = c1; out.x2 = c2; out.x3 = c3;
            return out;
        }

        /* The counter layout: key = seed (low word, high word); counter = (element, draw, stream, step). */
        SG_FN sg_u32x4 sg_random_bits(unsigned long long seed, unsigned int element, unsigned int draw, unsigned int stream, unsigned int step)
        {
            return sg_philox(element, draw, stream, step, (unsigned int)seed, (unsigned int)(seed >> 32));
        }

        /* [0, 1) from the top 24 bits of a word: exact in float. */
        SG_FN float sg_uniform_f32(unsigned int word) { return (float)(word >> 8) * (1.0f / 16777216.0f); }

        /* [0, 1) from the top 53 bits of hi:lo: exact in double. */
        SG_FN double sg_uniform_f64(unsigned int hi, unsigned int lo)
        {
            return (double)((((unsigned long long)hi << 32) | lo) >> 11) * (1.0 / 9007199254740992.0);
        }

        """;
}
