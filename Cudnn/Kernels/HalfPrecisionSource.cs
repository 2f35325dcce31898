namespace StaticGraph.Cuda.Kernels;

/// <summary>
/// Conversions between f32 and the 16-bit formats of mixed precision (bfloat16 and IEEE half), stored as
/// <c>unsigned short</c>. They are written with bit arithmetic because NVRTC 11.8 has no <c>cuda_fp16.h</c>/<c>cuda_bf16.h</c>
/// and because the same source must run in the host emulator; they round to nearest even like the hardware's
/// <c>cvt.rn</c>, keep NaN a (quiet) NaN with its sign, overflow to infinity, and produce and read IEEE half subnormals.
/// Besides the helpers, the conversion kernels of mixed precision: plain ones for bfloat16, and for half ones that apply
/// the dynamic loss scale (a float in the control block) and raise the overflow word when a 16-bit value is infinite or NaN.
/// </summary>
public static class HalfPrecisionSource
{
    /// <summary>The four scalar conversions (<c>sg_f32_to_bf16</c>, <c>sg_bf16_to_f32</c>, <c>sg_f32_to_f16</c>, <c>sg_f16_to_f32</c>).</summary>
    public static KernelHelper Helper { get; } = new("half_precision", """
        // f32 -> bfloat16, round to nearest even. bfloat16 is the top half of an f32, so rounding adds just under half a
        // unit of the kept part plus its lowest bit (ties go to even); a carry into the exponent is the correct result,
        // and one out of the largest finite value gives infinity. NaN is kept NaN by forcing the quiet bit: truncating its
        // payload could otherwise leave the pattern of an infinity.
        SG_FN unsigned short sg_f32_to_bf16(float x)
        {
            const unsigned int u = __float_as_uint(x);
            if ((u & 0x7fffffffu) > 0x7f800000u) return (unsigned short)((u >> 16) | 0x0040u);
            return (unsigned short)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
        }

        // bfloat16 -> f32 is exact: the 16 bits are the f32's top half.
        SG_FN float sg_bf16_to_f32(unsigned short h)
        {
            return __uint_as_float((unsigned int)h << 16);
        }

        // f32 -> IEEE half, round to nearest even.
        SG_FN unsigned short sg_f32_to_f16(float x)
        {
            const unsigned int u = __float_as_uint(x);
            const unsigned int sign = (u >> 16) & 0x8000u;
            const unsigned int a = u & 0x7fffffffu;
            if (a > 0x7f800000u) return (unsigned short)(sign | 0x7e00u | ((a >> 13) & 0x1ffu)); // NaN: quiet, top payload bits
            if (a >= 0x477ff000u) return (unsigned short)(sign | 0x7c00u); // >= 65520 = max + half an ulp (a tie, to even = inf)
            if (a >= 0x38800000u)
            {
                // Normal half (>= 2^-14): rebias the exponent (127 - 15 = 112) and round the 13 dropped bits to even;
                // a carry out of the significand correctly bumps the exponent.
                const unsigned int r = a - 0x38000000u;
                return (unsigned short)(sign | ((r + 0xfffu + ((r >> 13) & 1u)) >> 13));
            }
            if (a <= 0x33000000u) return (unsigned short)sign; // <= 2^-25: half of the smallest subnormal or less rounds to 0
            // Subnormal half: the value in units of 2^-24 is the 24-bit significand shifted right by 126 - exponent
            // (14..24 places); round the dropped bits to even. Rounding up to 0x400 gives the smallest normal, as it should.
            const unsigned int e = a >> 23;
            const unsigned int m = (a & 0x7fffffu) | 0x800000u;
            const unsigned int shift = 126u - e;
            unsigned int q = m >> shift;
            const unsigned int rest = m & ((1u << shift) - 1u);
            const unsigned int half = 1u << (shift - 1u);
            if (rest > half || (rest == half && (q & 1u))) q += 1u;
            return (unsigned short)(sign | q);
        }

        // IEEE half -> f32 is exact. Subnormals are m * 2^-24, exact in f32 too; NaN stays NaN (quiet, payload kept).
        SG_FN float sg_f16_to_f32(unsigned short h)
        {
            const unsigned int sign = ((unsigned int)h & 0x8000u) << 16;
            const unsigned int e = ((unsigned int)h >> 10) & 0x1fu;
            const unsigned int m = (unsigned int)h & 0x3ffu;
            if (e == 31u) return __uint_as_float(sign | (m != 0u ? 0x7fc00000u : 0x7f800000u) | (m << 13));
            if (e != 0u) return __uint_as_float(sign | ((e + 112u) << 23) | (m << 13));
            const float v = (float)m * 5.9604644775390625e-8f;
            return sign != 0u ? -v : v;
        }
        """);

    private static readonly KernelParameter F32In = new("const float* __restrict__", "x");
    private static readonly KernelParameter F32Out = new("float* __restrict__", "y");
    private static readonly KernelParameter HalfIn = new("const unsigned short* __restrict__", "x");
    private static readonly KernelParameter HalfOut = new("unsigned short* __restrict__", "y");
    private static readonly KernelParameter Scale = new("const float* __restrict__", "scale");
    private static readonly KernelParameter Overflow = new("unsigned int* __restrict__", "overflow");

    /// <summary><c>sg_convert_f32_to_bf16(x, y, n)</c>: y = bf16(x).</summary>
    public static CudaKernelSource F32ToBf16 { get; } = CudaKernelSource.Create("sg_convert_f32_to_bf16", [F32In, HalfOut, KernelTypes.Count],
        $"    {KernelTypes.IndexLoop} y[i] = sg_f32_to_bf16(x[i]);", Helper);

    /// <summary><c>sg_convert_bf16_to_f32(x, y, n)</c>: y = f32(x).</summary>
    public static CudaKernelSource Bf16ToF32 { get; } = CudaKernelSource.Create("sg_convert_bf16_to_f32", [HalfIn, F32Out, KernelTypes.Count],
        $"    {KernelTypes.IndexLoop} y[i] = sg_bf16_to_f32(x[i]);", Helper);

    /// <summary>
    /// <c>sg_convert_f32_to_f16(x, y, n, overflow)</c>: y = f16(x), raising the overflow word for an infinite or NaN half.
    /// Threads only ever store 1 to the word, so their races are harmless (no atomics; see <c>FiniteCheckKernel</c>).
    /// </summary>
    public static CudaKernelSource F32ToF16 { get; } = CudaKernelSource.Create("sg_convert_f32_to_f16", [F32In, HalfOut, KernelTypes.Count, Overflow],
        $$"""
            {{KernelTypes.IndexLoop}}
            {
                const unsigned short h = sg_f32_to_f16(x[i]);
                y[i] = h;
                if ((h & 0x7c00u) == 0x7c00u) *overflow = 1u;
            }
        """, Helper);

    /// <summary>
    /// <c>sg_convert_f32_to_f16_scaled(x, y, n, scale, overflow)</c>: y = f16(x·S) with S the loss scale. S is a power of
    /// two, so x·S is exact in f32 and the half is rounded once.
    /// </summary>
    public static CudaKernelSource F32ToF16Scaled { get; } = CudaKernelSource.Create("sg_convert_f32_to_f16_scaled",
        [F32In, HalfOut, KernelTypes.Count, Scale, Overflow],
        $$"""
            const float s = *scale;
            {{KernelTypes.IndexLoop}}
            {
                const unsigned short h = sg_f32_to_f16(x[i] * s);
                y[i] = h;
                if ((h & 0x7c00u) == 0x7c00u) *overflow = 1u;
            }
        """, Helper);

    /// <summary><c>sg_convert_f16_to_f32(x, y, n, overflow)</c>: y = f32(x), raising the overflow word for an infinite or NaN half.</summary>
    public static CudaKernelSource F16ToF32 { get; } = CudaKernelSource.Create("sg_convert_f16_to_f32", [HalfIn, F32Out, KernelTypes.Count, Overflow],
        $$"""
            {{KernelTypes.IndexLoop}}
            {
                const unsigned short h = x[i];
                if ((h & 0x7c00u) == 0x7c00u) *overflow = 1u;
                y[i] = sg_f16_to_f32(h);
            }
        """, Helper);

    /// <summary>
    /// <c>sg_convert_f16_to_f32_unscaled(x, y, n, scale, overflow)</c>: y = f32(x) / S, undoing the loss scale of a
    /// gradient's product (exact: S is a power of two), and raising the overflow word for an infinite or NaN half.
    /// </summary>
    public static CudaKernelSource F16ToF32Unscaled { get; } = CudaKernelSource.Create("sg_convert_f16_to_f32_unscaled",
        [HalfIn, F32Out, KernelTypes.Count, Scale, Overflow],
        $$"""
            const float s = *scale;
            {{KernelTypes.IndexLoop}}
            {
                const unsigned short h = x[i];
                if ((h & 0x7c00u) == 0x7c00u) *overflow = 1u;
                y[i] = sg_f16_to_f32(h) / s;
            }
        """, Helper);

    /// <summary><c>sg_unscale_f32(y, n, scale)</c>: y /= S in place (a GEMM's f32 result computed from a scaled half gradient).</summary>
    public static CudaKernelSource UnscaleF32 { get; } = CudaKernelSource.Create("sg_unscale_f32", [F32Out, KernelTypes.Count, Scale],
        $$"""
            const float s = *scale;
            {{KernelTypes.IndexLoop}} y[i] = y[i] / s;
        """);
}
