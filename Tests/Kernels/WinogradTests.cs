using System.Runtime.Intrinsics;
using StaticGraph.Backend.Cpu.Kernels;
using Xunit;

namespace StaticGraph.Tests.Kernels;

/// <summary>
/// Winograd F(2x2, 3x3) convolution, input gradient and filter gradient against the f64 direct definitions
/// (<see cref="ConvReference"/>), on each vector width (512-bit, 256-bit and one lane, the ones this machine has), for
/// shapes the dispatch sends to them and shapes it does not (small and odd planes, every padding it accepts): the
/// kernels themselves must be right wherever they run.
/// </summary>
public unsafe class WinogradTests
{
    public static TheoryData<string, int, int, int, int, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int, int, int, int, int>();
        foreach (var width in new[] { "512", "256", "scalar" })
        {
            // batch, in channels, height, width, out channels, padding
            data.Add(width, 3, 16, 28, 28, 16, 1);
            data.Add(width, 5, 32, 14, 14, 32, 1);
            data.Add(width, 3, 16, 14, 14, 40, 1);
            data.Add(width, 2, 9, 7, 5, 11, 0);
            data.Add(width, 2, 8, 6, 9, 10, 2);
            data.Add(width, 3, 64, 7, 7, 64, 1);
            data.Add(width, 2, 12, 13, 17, 9, 1);
            data.Add(width, 2, 8, 3, 3, 8, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Convolution_and_both_gradients_match_the_direct_definitions(string width, int batch, int channels, int height, int imageWidth, int outChannels, int pad)
    {
        var g = new ConvGeometry(batch, channels, height, imageWidth, outChannels, 3, 3, 1, 1, pad, pad, 1, 1, 1);
        switch (width)
        {
            case "512":
                Assert.SkipUnless(Simd512<float>.IsUsable, "no 512-bit vectors here");
                Check<Vector512<float>, Simd512<float>>(g);
                break;
            case "256":
                Assert.SkipUnless(Simd256<float>.IsUsable, "no 256-bit vectors here");
                Check<Vector256<float>, Simd256<float>>(g);
                break;
            default:
                Check<float, SimdScalar<float>>(g);
                break;
        }
    }

    [Fact]
    public void Splitting_the_image_range_gives_identical_bits()
    {
        var g = new ConvGeometry(7, 16, 14, 14, 24, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        var (x, w, _) = Data(g);
        float[]? first = null;
        foreach (int[] bounds in new[] { new[] { 0, 7 }, [0, 1, 7], [0, 2, 3, 6, 7] })
        {
            var y = new float[g.OutputSize];
            RunForward<float, SimdScalar<float>>(g, x, w, y, bounds);
            first ??= y;
            TestArrays.AssertIdentical(first, y, $"split [{string.Join(",", bounds)}]");
        }

        if (!Simd512<float>.IsUsable) return;
        var wide = new float[g.OutputSize];
        RunForward<Vector512<float>, Simd512<float>>(g, x, w, wide, [0, 3, 7]);
        TestArrays.AssertClose(ConvReference.Forward(g, TestArrays.ToDouble(x), TestArrays.ToDouble(w)),
            ConvReference.Forward(g, TestArrays.Abs(TestArrays.ToDouble(x)), TestArrays.Abs(TestArrays.ToDouble(w))), wide, TestArrays.Tolerance<float>(), "512-bit split");
    }

    [Fact]
    public void The_dispatch_takes_winograd_for_3x3_unit_stride_float_on_planes_of_8_and_more_and_for_filter_gradients_of_10_and_more()
    {
        Assert.True(WinogradTiles.Applies<float>(new ConvGeometry(128, 128, 8, 8, 128, 3, 3, 1, 1, 1, 1, 1, 1, 1)));
        Assert.False(WinogradTiles.AppliesToFilterGradient<float>(new ConvGeometry(128, 128, 8, 8, 128, 3, 3, 1, 1, 1, 1, 1, 1, 1)));
        Assert.True(WinogradTiles.AppliesToFilterGradient<float>(new ConvGeometry(128, 32, 14, 14, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1)));
        Assert.True(WinogradTiles.Applies<float>(new ConvGeometry(128, 16, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)));
        Assert.True(WinogradTiles.Applies<float>(new ConvGeometry(128, 32, 14, 14, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1)));
        Assert.False(WinogradTiles.Applies<double>(new ConvGeometry(128, 16, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)), "f64 stays direct");
        Assert.False(WinogradTiles.Applies<float>(new ConvGeometry(128, 64, 7, 7, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1)), "7x7");
        Assert.False(WinogradTiles.Applies<float>(new ConvGeometry(128, 16, 28, 28, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1)), "stride 2");
        Assert.False(WinogradTiles.Applies<float>(new ConvGeometry(128, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)), "one input channel");
        Assert.False(WinogradTiles.Applies<float>(new ConvGeometry(128, 16, 28, 28, 16, 3, 3, 1, 1, 3, 3, 1, 1, 1)), "padding 3");
    }

    private static void Check<TVector, TSimd>(ConvGeometry g)
        where TVector : struct
        where TSimd : struct, ISimd<float, TVector>
    {
        var (x, w, dy) = Data(g);
        double[] xd = TestArrays.ToDouble(x), wd = TestArrays.ToDouble(w), dyd = TestArrays.ToDouble(dy);
        double[] xa = TestArrays.Abs(xd), wa = TestArrays.Abs(wd), dya = TestArrays.Abs(dyd);
        string name = $"{typeof(TSimd).Name} {g.Batch}x{g.InChannels}x{g.Height}x{g.Width} -> {g.OutChannels} p{g.PadH}";
        double tolerance = TestArrays.Tolerance<float>();

        // Outputs start as garbage: the kernels must overwrite every value of their range.
        var y = TestArrays.Uniform<float>(g.OutputSize, 4);
        RunForward<TVector, TSimd>(g, x, w, y, [0, 1, g.Batch]);
        TestArrays.AssertClose(ConvReference.Forward(g, xd, wd), ConvReference.Forward(g, xa, wa), y, tolerance, "forward " + name);

        var f = WinogradConvolution.InputGradientAsForward(g);
        var dx = TestArrays.Uniform<float>(g.InputSize, 5);
        var prepared = new float[WinogradConvolution.FilterElements<float, TVector, TSimd>(f)];
        var scratch = TestArrays.Uniform<float>(WinogradConvolution.ScratchElements<float, TVector, TSimd>(f) + 1, 6);
        fixed (float* pdy = dy, pw = w, pdx = dx, pp = prepared, ps = scratch)
        {
            WinogradConvolution.PrepareFilter<float, TVector, TSimd>(f, pw, true, pp);
            WinogradConvolution.Run<float, TVector, TSimd>(f, pdy, pp, pdx, 0, g.Batch, ps + 1);
        }

        TestArrays.AssertClose(ConvReference.BackwardData(g, dyd, wd), ConvReference.BackwardData(g, dya, wa), dx, tolerance, "input gradient " + name);

        // Partials of two ranges, added, then finished: the filter gradient of the whole batch.
        var partials = TestArrays.Uniform<float>(2 * WinogradFilterGradient.PartialElements(g), 7);
        var filterScratch = TestArrays.Uniform<float>(WinogradFilterGradient.ScratchElements<float, TVector, TSimd>(g) + 1, 8);
        var dw = TestArrays.Uniform<float>(g.WeightSize, 9);
        long size = WinogradFilterGradient.PartialElements(g);
        fixed (float* px = x, pdy = dy, pp = partials, ps = filterScratch, pdw = dw)
        {
            int middle = g.Batch / 2;
            WinogradFilterGradient.Run<float, TVector, TSimd>(g, px, pdy, pp, 0, middle, ps + 1);
            WinogradFilterGradient.Run<float, TVector, TSimd>(g, px, pdy, pp + size, middle, g.Batch, ps + 1);
            for (long i = 0; i < size; i++) pp[i] += pp[size + i];
            WinogradFilterGradient.Finish(g, pp, pdw, 0, g.OutChannels * g.InChannels);
        }

        TestArrays.AssertClose(
            ConvReference.BackwardFilter(g, xd, dyd, 0, g.Batch), ConvReference.BackwardFilter(g, xa, dya, 0, g.Batch), dw, tolerance, "filter gradient " + name);
    }

    private static void RunForward<TVector, TSimd>(ConvGeometry g, float[] x, float[] w, float[] y, int[] bounds)
        where TVector : struct
        where TSimd : struct, ISimd<float, TVector>
    {
        var prepared = new float[WinogradConvolution.FilterElements<float, TVector, TSimd>(g)];
        var scratch = TestArrays.Uniform<float>(WinogradConvolution.ScratchElements<float, TVector, TSimd>(g) + 1, 3);
        fixed (float* px = x, pw = w, py = y, pp = prepared, ps = scratch)
        {
            WinogradConvolution.PrepareFilter<float, TVector, TSimd>(g, pw, false, pp);
            for (int i = 0; i + 1 < bounds.Length; i++) WinogradConvolution.Run<float, TVector, TSimd>(g, px, pp, py, bounds[i], bounds[i + 1], ps + 1);
        }
    }

    private static (float[] X, float[] W, float[] Dy) Data(ConvGeometry g) =>
        (TestArrays.Uniform<float>(g.InputSize, 1), TestArrays.Uniform<float>(g.WeightSize, 2), TestArrays.Uniform<float>(g.OutputSize, 3));
}
