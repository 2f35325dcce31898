using System.Numerics;
using StaticGraph.Backend.Cpu.Kernels;
using Xunit;

namespace StaticGraph.Tests.Kernels;

public unsafe class Conv2dTests
{
    [Theory]
    // ResNet-20 shapes: 28x28 (implicit columns), 14x14, 7x7 (batched explicit columns), stride-2 transitions, first layer.
    [InlineData(3, 16, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)]
    [InlineData(4, 32, 14, 14, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1)]
    [InlineData(4, 64, 7, 7, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1)]
    [InlineData(3, 16, 28, 28, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1)]
    [InlineData(3, 32, 14, 14, 64, 3, 3, 2, 2, 1, 1, 1, 1, 1)]
    [InlineData(9, 3, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)]
    [InlineData(2, 3, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)]
    // Odd sizes, channel counts that are not tile multiples, several images per column batch.
    [InlineData(9, 8, 7, 7, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1)]
    [InlineData(3, 6, 13, 11, 10, 3, 3, 2, 2, 1, 1, 1, 1, 1)]
    [InlineData(3, 5, 11, 9, 7, 3, 3, 1, 1, 0, 0, 1, 1, 1)]
    [InlineData(2, 3, 32, 32, 9, 3, 3, 1, 1, 0, 0, 1, 1, 1)]
    [InlineData(2, 4, 17, 17, 6, 3, 3, 1, 1, 2, 2, 1, 1, 1)]
    [InlineData(2, 3, 20, 20, 4, 3, 3, 1, 1, 3, 3, 1, 1, 1)]
    [InlineData(2, 3, 30, 30, 5, 5, 5, 1, 1, 2, 2, 1, 1, 1)]
    [InlineData(1, 3, 5, 5, 2, 5, 5, 1, 1, 0, 0, 1, 1, 1)]
    [InlineData(2, 2, 6, 7, 3, 2, 3, 3, 2, 1, 0, 1, 1, 1)]
    [InlineData(2, 3, 20, 21, 4, 3, 3, 3, 3, 1, 1, 1, 1, 1)]
    [InlineData(1, 2, 41, 41, 3, 3, 3, 2, 2, 2, 2, 2, 2, 1)]
    // Dilation and groups, depthwise.
    [InlineData(2, 4, 9, 10, 6, 3, 2, 1, 2, 2, 0, 2, 1, 2)]
    [InlineData(2, 4, 40, 40, 6, 3, 3, 1, 1, 2, 2, 2, 2, 2)]
    [InlineData(3, 4, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4)]
    [InlineData(2, 6, 24, 24, 6, 3, 3, 1, 1, 1, 1, 1, 1, 6)]
    // Pointwise: in place (576 pixels), batched (49 pixels), strided.
    [InlineData(2, 8, 24, 24, 16, 1, 1, 1, 1, 0, 0, 1, 1, 1)]
    [InlineData(5, 8, 7, 7, 8, 1, 1, 1, 1, 0, 0, 1, 1, 1)]
    [InlineData(2, 8, 16, 16, 16, 1, 1, 2, 2, 0, 0, 1, 1, 1)]
    [InlineData(2, 8, 15, 15, 12, 1, 1, 1, 1, 0, 0, 1, 1, 2)]
    public void MatchesDirectConvolution(
        int batch, int channels, int height, int width, int outChannels, int kernelH, int kernelW,
        int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups)
    {
        var g = new ConvGeometry(batch, channels, height, width, outChannels, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, groups);
        CheckAgainstReference<double>(g);
        CheckAgainstReference<float>(g);
    }

    [Theory]
    [InlineData(7, 16, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)]
    [InlineData(11, 8, 7, 7, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1)]
    [InlineData(10, 16, 14, 14, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1)]
    [InlineData(6, 8, 24, 24, 16, 1, 1, 1, 1, 0, 0, 1, 1, 1)]
    [InlineData(9, 4, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4)]
    public void SplittingTheImageRangeGivesIdenticalBits(
        int batch, int channels, int height, int width, int outChannels, int kernelH, int kernelW,
        int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups)
    {
        var g = new ConvGeometry(batch, channels, height, width, outChannels, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, groups);
        CheckSplits<float>(g);
        CheckSplits<double>(g);
    }

    [Fact]
    public void EmptyRangeLeavesOutputsAloneAndZeroesTheFilterGradient()
    {
        var g = new ConvGeometry(2, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        var x = TestArrays.Uniform<float>(g.InputSize, 1);
        var w = TestArrays.Uniform<float>(g.WeightSize, 2);
        var y = TestArrays.Uniform<float>(g.OutputSize, 3);
        var yBefore = (float[])y.Clone();
        var dw = TestArrays.Uniform<float>(g.WeightSize, 4);
        var scratch = new float[ScratchFor<float>(g)];
        fixed (float* px = x, pw = w, py = y, pdw = dw, ps = scratch)
        {
            Conv2d.Forward(g, px, pw, py, 1, 1, ps);
            Conv2d.BackwardFilter(g, px, py, pdw, 2, 2, ps);
        }

        Assert.Equal(yBefore, y);
        Assert.All(dw, value => Assert.Equal(0f, value));
    }

    [Fact]
    public void RejectsRangesOutsideTheBatch()
    {
        var g = new ConvGeometry(2, 1, 4, 4, 1, 3, 3, 1, 1, 1, 1, 1, 1, 1);
        var buffer = new float[1024];
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            fixed (float* p = buffer) Conv2d.Forward(g, p, p, p, 1, 3, p);
        });
    }

    private static void CheckAgainstReference<T>(ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = TestArrays.Uniform<T>(g.InputSize, 1);
        var w = TestArrays.Uniform<T>(g.WeightSize, 2);
        var dy = TestArrays.Uniform<T>(g.OutputSize, 3);
        double[] xd = TestArrays.ToDouble(x), wd = TestArrays.ToDouble(w), dyd = TestArrays.ToDouble(dy);
        double[] xa = TestArrays.Abs(xd), wa = TestArrays.Abs(wd), dya = TestArrays.Abs(dyd);

        // Outputs start as garbage: every kernel must overwrite its whole output.
        var y = TestArrays.Uniform<T>(g.OutputSize, 4);
        var dx = TestArrays.Uniform<T>(g.InputSize, 5);
        var dw = TestArrays.Uniform<T>(g.WeightSize, 6);
        var scratch = TestArrays.Uniform<T>(ScratchFor<T>(g) + 1, 7);
        fixed (T* px = x, pw = w, pdy = dy, py = y, pdx = dx, pdw = dw, ps = scratch)
        {
            // Scratch one element off its natural alignment: kernels must not rely on it.
            Conv2d.Forward(g, px, pw, py, 0, g.Batch, ps + 1);
            Conv2d.BackwardData(g, pdy, pw, pdx, 0, g.Batch, ps + 1);
            Conv2d.BackwardFilter(g, px, pdy, pdw, 0, g.Batch, ps + 1);
        }

        double tolerance = TestArrays.Tolerance<T>();
        string name = $"{typeof(T).Name} {g.Batch}x{g.InChannels}x{g.Height}x{g.Width} -> {g.OutChannels} k{g.KernelH}x{g.KernelW} s{g.StrideH},{g.StrideW} p{g.PadH},{g.PadW} d{g.DilationH},{g.DilationW} g{g.Groups}";
        TestArrays.AssertClose(ConvReference.Forward(g, xd, wd), ConvReference.Forward(g, xa, wa), y, tolerance, "forward " + name);
        TestArrays.AssertClose(ConvReference.BackwardData(g, dyd, wd), ConvReference.BackwardData(g, dya, wa), dx, tolerance, "backward data " + name);
        TestArrays.AssertClose(
            ConvReference.BackwardFilter(g, xd, dyd, 0, g.Batch), ConvReference.BackwardFilter(g, xa, dya, 0, g.Batch), dw, tolerance, "backward filter " + name);
    }

    private static void CheckSplits<T>(ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = TestArrays.Uniform<T>(g.InputSize, 1);
        var w = TestArrays.Uniform<T>(g.WeightSize, 2);
        var dy = TestArrays.Uniform<T>(g.OutputSize, 3);
        var scratch = new T[ScratchFor<T>(g)];
        int[][] splits = [[0, g.Batch], [0, 1, g.Batch], [0, 2, 3, g.Batch - 1, g.Batch], [0, g.Batch / 2, g.Batch]];
        T[]? firstY = null, firstDx = null;
        foreach (int[] bounds in splits)
        {
            var y = new T[g.OutputSize];
            var dx = new T[g.InputSize];
            fixed (T* px = x, pw = w, pdy = dy, py = y, pdx = dx, ps = scratch)
            {
                for (int i = 0; i + 1 < bounds.Length; i++)
                {
                    Conv2d.Forward(g, px, pw, py, bounds[i], bounds[i + 1], ps);
                    Conv2d.BackwardData(g, pdy, pw, pdx, bounds[i], bounds[i + 1], ps);
                }
            }

            firstY ??= y;
            firstDx ??= dx;
            TestArrays.AssertIdentical(firstY, y, $"forward split [{string.Join(",", bounds)}]");
            TestArrays.AssertIdentical(firstDx, dx, $"backward data split [{string.Join(",", bounds)}]");
        }

        // The filter gradient is reproducible for a fixed chunking, and the chunk partials add up to the whole.
        int middle = g.Batch / 2;
        var dwWhole = new T[g.WeightSize];
        var dwAgain = new T[g.WeightSize];
        var dwFirst = new T[g.WeightSize];
        var dwSecond = new T[g.WeightSize];
        fixed (T* px = x, pdy = dy, p1 = dwWhole, p2 = dwAgain, p3 = dwFirst, p4 = dwSecond, ps = scratch)
        {
            Conv2d.BackwardFilter(g, px, pdy, p1, 0, g.Batch, ps);
            Conv2d.BackwardFilter(g, px, pdy, p2, 0, g.Batch, ps);
            Conv2d.BackwardFilter(g, px, pdy, p3, 0, middle, ps);
            Conv2d.BackwardFilter(g, px, pdy, p4, middle, g.Batch, ps);
        }

        TestArrays.AssertIdentical(dwWhole, dwAgain, "backward filter repeated");
        double[] xd = TestArrays.ToDouble(x), dyd = TestArrays.ToDouble(dy);
        var sum = new T[g.WeightSize];
        for (int i = 0; i < sum.Length; i++) sum[i] = dwFirst[i] + dwSecond[i];
        TestArrays.AssertClose(
            ConvReference.BackwardFilter(g, xd, dyd, 0, g.Batch),
            ConvReference.BackwardFilter(g, TestArrays.Abs(xd), TestArrays.Abs(dyd), 0, g.Batch),
            sum, TestArrays.Tolerance<T>(), "backward filter chunk sum");
    }

    private static long ScratchFor<T>(ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Math.Max(Conv2d.ForwardScratchElements<T>(g), Math.Max(Conv2d.BackwardDataScratchElements<T>(g), Conv2d.BackwardFilterScratchElements<T>(g)));
}
