using System.Numerics;
using StaticGraph.Backend.Cpu.Kernels;
using Xunit;

namespace StaticGraph.Tests.Kernels;

public unsafe class PoolingTests
{
    [Theory]
    [InlineData(2, 3, 8, 8, 2, 2, 2, 2, 0, 0)]
    [InlineData(2, 3, 9, 7, 3, 3, 2, 2, 1, 1)]
    [InlineData(1, 4, 7, 7, 7, 7, 1, 1, 0, 0)]
    [InlineData(3, 2, 10, 11, 3, 2, 1, 3, 1, 1)]
    [InlineData(1, 1, 5, 5, 1, 1, 1, 1, 0, 0)]
    public void MaxAndAveragePoolingMatchTheirDefinitions(
        int batch, int channels, int height, int width, int kernelH, int kernelW, int strideH, int strideW, int padH, int padW)
    {
        var g = new PoolGeometry(batch, channels, height, width, kernelH, kernelW, strideH, strideW, padH, padW);
        Check<double>(g);
        Check<float>(g);
    }

    [Fact]
    public void TiesGoToTheFirstMaximumAndSplitsDoNotMatter()
    {
        // All-equal input: every window's gradient must land on its first (top-left) pixel.
        var g = new PoolGeometry(2, 2, 4, 4, 2, 2, 1, 1, 0, 0);
        var x = new float[g.Planes * g.InPlaneSize];
        Array.Fill(x, 1f);
        var dy = new float[g.Planes * g.OutPlaneSize];
        Array.Fill(dy, 1f);
        var whole = new float[x.Length];
        var split = new float[x.Length];
        fixed (float* px = x, pdy = dy, pWhole = whole, pSplit = split)
        {
            Pooling.MaxPool2dBackward(g, px, pdy, pWhole, 0, g.Planes);
            Pooling.MaxPool2dBackward(g, px, pdy, pSplit, 0, 1);
            Pooling.MaxPool2dBackward(g, px, pdy, pSplit, 1, g.Planes);
        }

        var expectedPlane = new float[] { 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 0, 0 };
        for (int plane = 0; plane < g.Planes; plane++)
        {
            Assert.Equal(expectedPlane, whole.AsSpan(plane * 16, 16).ToArray());
        }

        Assert.Equal(whole, split);
    }

    private static void Check<T>(PoolGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = TestArrays.Uniform<T>((long)g.Planes * g.InPlaneSize, 1);
        var dy = TestArrays.Uniform<T>((long)g.Planes * g.OutPlaneSize, 2);
        var maxY = TestArrays.Uniform<T>(dy.Length, 3);
        var avgY = TestArrays.Uniform<T>(dy.Length, 4);
        var maxDx = TestArrays.Uniform<T>(x.Length, 5);
        var avgDx = TestArrays.Uniform<T>(x.Length, 6);
        fixed (T* px = x, pdy = dy, pMaxY = maxY, pAvgY = avgY, pMaxDx = maxDx, pAvgDx = avgDx)
        {
            // Two ranges, to exercise plane offsets.
            int middle = g.Planes / 2;
            foreach ((int start, int end) in new[] { (0, middle), (middle, g.Planes) })
            {
                Pooling.MaxPool2dForward(g, px, pMaxY, start, end);
                Pooling.MaxPool2dBackward(g, px, pdy, pMaxDx, start, end);
                Pooling.AvgPool2dForward(g, px, pAvgY, start, end);
                Pooling.AvgPool2dBackward(g, pdy, pAvgDx, start, end);
            }
        }

        var expectedMax = new double[dy.Length];
        var expectedAvg = new double[dy.Length];
        var avgMagnitude = new double[dy.Length];
        var expectedMaxDx = new double[x.Length];
        var maxDxMagnitude = new double[x.Length];
        var expectedAvgDx = new double[x.Length];
        var avgDxMagnitude = new double[x.Length];
        double windowSize = g.KernelH * g.KernelW;
        for (int plane = 0; plane < g.Planes; plane++)
            for (int oh = 0; oh < g.OutHeight; oh++)
                for (int ow = 0; ow < g.OutWidth; ow++)
                {
                    int output = (plane * g.OutHeight + oh) * g.OutWidth + ow;
                    double best = double.NegativeInfinity, sum = 0, magnitude = 0;
                    int bestIndex = -1;
                    for (int kh = 0; kh < g.KernelH; kh++)
                        for (int kw = 0; kw < g.KernelW; kw++)
                        {
                            int ih = oh * g.StrideH - g.PadH + kh, iw = ow * g.StrideW - g.PadW + kw;
                            if (ih < 0 || ih >= g.Height || iw < 0 || iw >= g.Width) continue;
                            int input = (plane * g.Height + ih) * g.Width + iw;
                            double value = double.CreateTruncating(x[input]);
                            if (bestIndex < 0 || value > best) (best, bestIndex) = (value, input);
                            sum += value;
                            magnitude += Math.Abs(value);
                            double share = double.CreateTruncating(dy[output]) / windowSize;
                            expectedAvgDx[input] += share;
                            avgDxMagnitude[input] += Math.Abs(share);
                        }

                    expectedMax[output] = best;
                    expectedMaxDx[bestIndex] += double.CreateTruncating(dy[output]);
                    maxDxMagnitude[bestIndex] += Math.Abs(double.CreateTruncating(dy[output]));
                    expectedAvg[output] = sum / windowSize;
                    avgMagnitude[output] = magnitude / windowSize;
                }

        double tolerance = TestArrays.Tolerance<T>();
        TestArrays.AssertClose(expectedMax, TestArrays.Abs(expectedMax), maxY, tolerance, "max forward");
        TestArrays.AssertClose(expectedMaxDx, maxDxMagnitude, maxDx, tolerance, "max backward");
        TestArrays.AssertClose(expectedAvg, avgMagnitude, avgY, tolerance, "average forward");
        TestArrays.AssertClose(expectedAvgDx, avgDxMagnitude, avgDx, tolerance, "average backward");
    }
}
