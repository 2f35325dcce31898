using StaticGraph.Backend.Cpu.Kernels;
using Xunit;

namespace StaticGraph.Tests.Kernels;

public unsafe class Im2ColTests
{
    [Theory]
    [InlineData(2, 5, 7, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1)]
    [InlineData(3, 28, 28, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1)]
    [InlineData(6, 13, 11, 10, 3, 3, 2, 2, 1, 1, 1, 1, 2)]
    [InlineData(4, 9, 10, 6, 3, 2, 1, 2, 2, 0, 2, 1, 2)]
    [InlineData(4, 8, 8, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4)]
    [InlineData(3, 16, 16, 8, 1, 1, 2, 2, 0, 0, 1, 1, 1)]
    [InlineData(2, 6, 7, 3, 2, 3, 3, 2, 1, 0, 1, 1, 1)]
    [InlineData(1, 40, 37, 2, 5, 5, 2, 3, 2, 2, 2, 1, 1)]
    [InlineData(2, 9, 9, 2, 3, 3, 1, 1, 0, 0, 1, 1, 1)]
    public void ColumnsMatchTheirDefinitionAndScatterIsTheAdjoint(
        int channels, int height, int width, int outChannels, int kernelH, int kernelW,
        int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups)
    {
        var g = new ConvGeometry(1, channels, height, width, outChannels, kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, groups);
        Check<double>(g);
        Check<float>(g);
    }

    private static void Check<T>(ConvGeometry g)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var image = TestArrays.Uniform<T>(g.InImageSize, 5);
        int rows = g.PatchSize, plane = g.OutPlaneSize;
        for (int group = 0; group < g.Groups; group++)
        {
            var col = new T[rows * plane];
            var colGrad = TestArrays.Uniform<T>(rows * plane, 6 + group);
            var imageGrad = new T[g.InImageSize];
            var expectedGrad = new double[g.InImageSize];
            var expectedGradMagnitude = new double[g.InImageSize];
            fixed (T* pImage = image, pCol = col, pColGrad = colGrad, pImageGrad = imageGrad)
            {
                ConvColumns.Im2Col(g, pImage, group, pCol);
                ConvColumns.Col2ImAccumulate(g, pColGrad, group, pImageGrad);
            }

            for (int row = 0; row < rows; row++)
            {
                int c = group * g.InChannelsPerGroup + row / (g.KernelH * g.KernelW);
                int kh = row / g.KernelW % g.KernelH, kw = row % g.KernelW;
                for (int oh = 0; oh < g.OutHeight; oh++)
                {
                    for (int ow = 0; ow < g.OutWidth; ow++)
                    {
                        int ih = oh * g.StrideH - g.PadH + kh * g.DilationH, iw = ow * g.StrideW - g.PadW + kw * g.DilationW;
                        bool inside = ih >= 0 && ih < g.Height && iw >= 0 && iw < g.Width;
                        int index = (c * g.Height + ih) * g.Width + iw;
                        T expected = inside ? image[index] : T.Zero;
                        Assert.Equal(expected, col[row * plane + oh * g.OutWidth + ow]);
                        if (inside)
                        {
                            double value = double.CreateTruncating(colGrad[row * plane + oh * g.OutWidth + ow]);
                            expectedGrad[index] += value;
                            expectedGradMagnitude[index] += Math.Abs(value);
                        }
                    }
                }
            }

            TestArrays.AssertClose(expectedGrad, expectedGradMagnitude, imageGrad, TestArrays.Tolerance<T>(), $"col2im {typeof(T).Name} group {group}");
        }
    }
}
