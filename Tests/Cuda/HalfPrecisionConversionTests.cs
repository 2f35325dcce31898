using System.Runtime.InteropServices;
using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// The bit-arithmetic conversions of mixed precision (<see cref="HalfPrecisionSource"/>), run through the emulator: every
/// 16-bit pattern widens exactly (against <see cref="Half"/> and the bfloat16 shift), and a million f32 values plus every
/// kind of edge (ties at every exponent, the overflow threshold, the subnormal boundary, NaN payloads) narrow with round to
/// nearest even (against <see cref="Half"/> and an independent bfloat16 reference that compares distances in double).
/// </summary>
public unsafe class HalfPrecisionConversionTests
{
    private static readonly CudaKernelSource[] Kernels =
    [
        HalfPrecisionSource.F32ToBf16, HalfPrecisionSource.Bf16ToF32, HalfPrecisionSource.F32ToF16, HalfPrecisionSource.F32ToF16Scaled,
        HalfPrecisionSource.F16ToF32, HalfPrecisionSource.F16ToF32Unscaled, HalfPrecisionSource.UnscaleF32,
    ];

    [Fact]
    public void Every_bf16_pattern_widens_to_the_f32_with_those_top_bits()
    {
        var patterns = AllPatterns();
        var widened = Widen(HalfPrecisionSource.Bf16ToF32, patterns, out _);
        for (var i = 0; i < patterns.Length; i++)
            Assert.Equal((uint)patterns[i] << 16, BitConverter.SingleToUInt32Bits(widened[i]));
    }

    [Fact]
    public void Every_f16_pattern_widens_exactly_like_System_Half()
    {
        var patterns = AllPatterns();
        var widened = Widen(HalfPrecisionSource.F16ToF32, patterns, out var overflow);
        for (var i = 0; i < patterns.Length; i++)
        {
            var expected = (float)BitConverter.UInt16BitsToHalf(patterns[i]);
            if (float.IsNaN(expected))
            {
                // NaN stays NaN, with its sign and payload (the quiet bit set, as the hardware's cvt does).
                Assert.True(float.IsNaN(widened[i]), $"pattern 0x{patterns[i]:x4}");
                var expectedBits = ((uint)patterns[i] & 0x8000u) << 16 | 0x7FC00000u | ((uint)patterns[i] & 0x3FFu) << 13;
                Assert.Equal(expectedBits, BitConverter.SingleToUInt32Bits(widened[i]));
            }
            else Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(widened[i]));
        }
        Assert.Equal(1u, overflow); // the infinities and NaNs among the patterns raise the flag
    }

    [Fact]
    public void F32_narrows_to_bf16_by_round_to_nearest_even()
    {
        var values = Values();
        var narrowed = Narrow(HalfPrecisionSource.F32ToBf16, values, scale: 1, out _);
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (float.IsNaN(v))
            {
                Assert.True(float.IsNaN(HalfBits.Bf16ToSingle(narrowed[i])), $"NaN 0x{BitConverter.SingleToUInt32Bits(v):x8} became 0x{narrowed[i]:x4}");
                Assert.Equal(float.IsNegative(v), (narrowed[i] & 0x8000) != 0);
            }
            else if (ReferenceBf16(v) != narrowed[i])
                Assert.Fail($"{v:R} (0x{BitConverter.SingleToUInt32Bits(v):x8}): expected 0x{ReferenceBf16(v):x4}, got 0x{narrowed[i]:x4}");
        }
    }

    [Fact]
    public void F32_narrows_to_f16_like_System_Half_and_flags_exactly_the_overflows()
    {
        var values = Values();
        var narrowed = Narrow(HalfPrecisionSource.F32ToF16, values, scale: 1, out var overflow);
        AssertHalves(values, narrowed, scale: 1);
        Assert.Equal(1u, overflow);

        // Only an infinite or NaN half raises the flag: 65519.996 rounds to 65504, and subnormals and zeros are fine.
        float[] finite = [65504f, float.BitDecrement(65520f), -65504f, 6e-8f, 3e-8f, 0f, -0f, 1e-30f, 1f];
        Narrow(HalfPrecisionSource.F32ToF16, finite, scale: 1, out overflow);
        Assert.Equal(0u, overflow);
        Narrow(HalfPrecisionSource.F32ToF16, [1f, 65520f], scale: 1, out overflow);
        Assert.Equal(1u, overflow);
    }

    [Fact]
    public void Scaled_conversions_multiply_by_the_loss_scale_exactly_and_unscaled_ones_divide()
    {
        const float scale = 1024;
        var values = Values().Where(float.IsFinite).Take(200_000).ToArray();
        var narrowed = Narrow(HalfPrecisionSource.F32ToF16Scaled, values, scale, out var overflow);
        AssertHalves(values, narrowed, scale);
        Assert.Equal(1u, overflow);

        // Gradients of 1e-6 flush to zero-ish subnormals in plain half, but keep 11 bits scaled; unscaling is exact.
        float[] small = [1e-6f, -3e-7f, 2.5e-5f, 1e-3f];
        var scaled = Narrow(HalfPrecisionSource.F32ToF16Scaled, small, scale, out overflow);
        Assert.Equal(0u, overflow);
        var back = Widen(HalfPrecisionSource.F16ToF32Unscaled, scaled, out overflow, scale);
        Assert.Equal(0u, overflow);
        for (var i = 0; i < small.Length; i++)
        {
            Assert.Equal(HalfBits.F16ToSingle(scaled[i]) / scale, back[i]);
            Assert.True(Math.Abs(back[i] - small[i]) <= Math.Abs(small[i]) * Math.ScaleB(1.0, -11), $"{small[i]} came back as {back[i]}");
        }

        var unscaledInPlace = RunF32InPlace(HalfPrecisionSource.UnscaleF32, [scale, -3 * scale, 1e-30f], scale);
        Assert.Equal([1f, -3f, 1e-30f / scale], unscaledInPlace);
    }

    [Fact]
    public void Every_16_bit_value_survives_a_round_trip_through_f32()
    {
        var patterns = AllPatterns();
        foreach (var (widen, narrow) in new[] { (HalfPrecisionSource.Bf16ToF32, HalfPrecisionSource.F32ToBf16), (HalfPrecisionSource.F16ToF32, HalfPrecisionSource.F32ToF16) })
        {
            var back = Narrow(narrow, Widen(widen, patterns, out _), scale: 1, out _);
            for (var i = 0; i < patterns.Length; i++)
            {
                var isNaN = widen == HalfPrecisionSource.Bf16ToF32 ? float.IsNaN(HalfBits.Bf16ToSingle(patterns[i])) : Half.IsNaN(BitConverter.UInt16BitsToHalf(patterns[i]));
                // A NaN comes back a quiet NaN of the same sign and top payload; everything else bit for bit.
                var quiet = widen == HalfPrecisionSource.Bf16ToF32 ? 0x40 : 0x200;
                Assert.Equal(isNaN ? patterns[i] | quiet : patterns[i], back[i]);
            }
        }
    }

    [Fact]
    public void The_conversion_kernels_compile_with_NVRTC()
    {
        if (CudaLibraries.NvrtcMissing is { } why) Assert.Skip(why);
        foreach (var arch in new[] { "compute_80", "compute_90" })
        {
            var ptx = NvrtcCompiler.CompileToPtx(string.Join("\n", Kernels.Select(k => k.Source)), "half.cu", arch);
            foreach (var k in Kernels) Assert.Contains($".entry {k.Name}(", ptx);
        }
    }

    /// <summary>
    /// bfloat16 by its definition: of the two bfloat16 values around v (truncation toward zero, and the next one away from
    /// zero, which past the largest finite value is infinity, weighing 2^128 like the next binade), the nearer in exact
    /// double arithmetic, ties to the one with an even last bit.
    /// </summary>
    private static ushort ReferenceBf16(float v)
    {
        var u = BitConverter.SingleToUInt32Bits(v);
        var sign = (ushort)(u >> 16 & 0x8000);
        var magnitude = u & 0x7FFFFFFF;
        if (magnitude == 0x7F800000) return (ushort)(sign | 0x7F80);
        var lo = magnitude >> 16;
        var hi = lo + 1;
        double Value(uint bits) => bits == 0x7F80 ? Math.Pow(2, 128) : BitConverter.UInt32BitsToSingle(bits << 16);
        var x = (double)BitConverter.UInt32BitsToSingle(magnitude);
        var (below, above) = (x - Value(lo), Value(hi) - x);
        var pick = below < above ? lo : above < below ? hi : (lo & 1) == 0 ? lo : hi;
        return (ushort)(sign | pick);
    }

    private static void AssertHalves(float[] values, ushort[] narrowed, float scale)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i] * scale;
            if (float.IsNaN(v))
            {
                Assert.True(Half.IsNaN(BitConverter.UInt16BitsToHalf(narrowed[i])), $"NaN 0x{BitConverter.SingleToUInt32Bits(v):x8} became 0x{narrowed[i]:x4}");
                Assert.Equal(float.IsNegative(v), (narrowed[i] & 0x8000) != 0);
            }
            else if (HalfBits.SingleToF16(v) != narrowed[i])
                Assert.Fail($"{v:R} (0x{BitConverter.SingleToUInt32Bits(v):x8}): System.Half gives 0x{HalfBits.SingleToF16(v):x4}, the kernel 0x{narrowed[i]:x4}");
        }
    }

    private static float P(int exponent) => MathF.ScaleB(1f, exponent);

    private static ushort[] AllPatterns() => Enumerable.Range(0, 65536).Select(i => (ushort)i).ToArray();

    /// <summary>A million random bit patterns, as many in half's exponent range, and the edges of both formats.</summary>
    private static float[] Values()
    {
        var rng = new System.Random(11);
        var values = new List<float>();
        for (var i = 0; i < 1 << 20; i++) values.Add(BitConverter.UInt32BitsToSingle((uint)rng.NextInt64(0, 1L << 32)));
        for (var i = 0; i < 1 << 20; i++)
        {
            // Exponents 2^-27 .. 2^16: half's subnormals, normals and overflow.
            var bits = (uint)rng.Next(100, 144) << 23 | (uint)rng.Next(0, 1 << 23) | (rng.Next(2) == 0 ? 0u : 0x80000000u);
            values.Add(BitConverter.UInt32BitsToSingle(bits));
        }
        for (var e = -26; e <= 16; e++)
        {
            // Half's ties at this exponent (its ulp is 2^(e-10), subnormals' 2^-24), and their neighbours.
            var ulp = Math.Pow(2, Math.Max(e - 10, -24));
            for (var k = 0; k < 64; k++)
            {
                var m = rng.Next(0, 1024);
                var tie = (float)((Math.Pow(2, e) + (m + 0.5) * ulp) * (k % 2 == 0 ? 1 : -1));
                values.AddRange([tie, float.BitIncrement(tie), float.BitDecrement(tie)]);
            }
        }
        for (var top = 0u; top < 0x10000; top += 7)
        {
            // bfloat16's ties (low half exactly 0x8000) and their neighbours, across every exponent.
            foreach (var low in new uint[] { 0x7FFF, 0x8000, 0x8001, 0, 0xFFFF })
                values.Add(BitConverter.UInt32BitsToSingle(top << 16 | low));
        }
        values.AddRange(
        [
            0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, -float.MaxValue, float.Epsilon, -float.Epsilon,
            float.MinValue, 65504f, 65519.99f, 65520f, -65520f, 65536f, P(-14), float.BitDecrement(P(-14)), P(-24), P(-25),
            float.BitIncrement(P(-25)), float.BitDecrement(P(-25)), 3 * P(-25), P(-126), float.BitDecrement(P(-126)),
            BitConverter.UInt32BitsToSingle(0x7F800001), BitConverter.UInt32BitsToSingle(0xFF800001), BitConverter.UInt32BitsToSingle(0x7F801000),
            BitConverter.UInt32BitsToSingle(0x7FFFFFFF), BitConverter.UInt32BitsToSingle(0x7F7FFFFF), BitConverter.UInt32BitsToSingle(0x7F7F8000),
            BitConverter.UInt32BitsToSingle(0x7F7E8000),
        ]);
        return [.. values];
    }

    private static ushort[] Narrow(CudaKernelSource kernel, float[] values, float scale, out uint overflow)
    {
        var result = new ushort[values.Length];
        overflow = Launch(kernel, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), result.Length * 2, values.Length, scale,
            bytes => MemoryMarshal.Cast<byte, ushort>(bytes).CopyTo(result));
        return result;
    }

    private static float[] Widen(CudaKernelSource kernel, ushort[] patterns, out uint overflow, float scale = 1)
    {
        var result = new float[patterns.Length];
        overflow = Launch(kernel, MemoryMarshal.AsBytes(patterns.AsSpan()).ToArray(), result.Length * 4, patterns.Length, scale,
            bytes => MemoryMarshal.Cast<byte, float>(bytes).CopyTo(result));
        return result;
    }

    private static float[] RunF32InPlace(CudaKernelSource kernel, float[] values, float scale)
    {
        var result = (float[])values.Clone();
        Launch(kernel, MemoryMarshal.AsBytes(values.AsSpan()).ToArray(), 0, values.Length, scale,
            bytes => MemoryMarshal.Cast<byte, float>(bytes).CopyTo(result), inPlace: true);
        return result;
    }

    /// <summary>
    /// Runs one conversion kernel on the host over an arena laid out as [control block | x | y]: the parameters named
    /// <c>scale</c> and <c>overflow</c> get the control block's slots, as in a plan. Returns the overflow flag.
    /// </summary>
    private static uint Launch(CudaKernelSource kernel, byte[] input, int outputBytes, long n, float scale, Action<byte[]> read, bool inPlace = false)
    {
        EmulatorParity.RequireEmulator();
        var xOffset = CudaPlan.ControlBytes;
        var yOffset = xOffset + (input.Length + 255) / 256 * 256;
        var total = yOffset + outputBytes + 256;
        var arena = (byte*)NativeMemory.AlignedAlloc((nuint)total, 256);
        try
        {
            new Span<byte>(arena, (int)total).Fill(0xFF);
            input.CopyTo(new Span<byte>(arena + xOffset, input.Length));
            *(float*)(arena + CudaPlan.LossScaleOffset) = scale;
            *(uint*)(arena + CudaPlan.OverflowFlagOffset) = 0;
            var args = kernel.Parameters.Select(p => p.Name switch
            {
                "x" => KernelArg.Pointer(DeviceAddress.Arena(xOffset)),
                "y" => KernelArg.Pointer(DeviceAddress.Arena(inPlace ? xOffset : yOffset)),
                "n" => KernelArg.I64(n),
                "scale" => KernelArg.Pointer(DeviceAddress.Arena(CudaPlan.LossScaleOffset)),
                "overflow" => KernelArg.Pointer(DeviceAddress.Arena(CudaPlan.OverflowFlagOffset)),
                _ => throw new InvalidOperationException(p.Name),
            }).ToList();
            for (var i = 0; i < args.Count; i++) args[i].CheckAgainst(kernel.Parameters[i], kernel.Name);
            using var block = new KernelArgBlock(args, a => (ulong)(arena + a.Offset));
            var launch = new LaunchCommand(null, kernel, n, args);
            HostKernelLibrary.For(Kernels).Launch(kernel.Name, launch.Blocks, LaunchCommand.BlockSize, block.Pointers);
            read(inPlace ? new Span<byte>(arena + xOffset, input.Length).ToArray() : new Span<byte>(arena + yOffset, outputBytes).ToArray());
            return *(uint*)(arena + CudaPlan.OverflowFlagOffset);
        }
        finally
        {
            NativeMemory.AlignedFree(arena);
        }
    }
}
