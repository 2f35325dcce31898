using System.Numerics;
using StaticGraph.Backend.Cpu.Kernels;
using Xunit;

namespace StaticGraph.Tests.Kernels;

public unsafe class GemmTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(16, 784, 144)]
    [InlineData(13, 50, 37)]
    [InlineData(144, 49, 16)]
    [InlineData(17, 49, 65)]
    [InlineData(64, 49, 576)]
    [InlineData(128, 10, 64)]
    [InlineData(10, 64, 128)]
    [InlineData(7, 11, 49)]
    [InlineData(5, 5, 1000)]
    [InlineData(3, 200, 700)]
    [InlineData(200, 3, 9)]
    [InlineData(9, 1600, 20)]
    [InlineData(33, 97, 130)]
    public void MatchesNaiveProductForAllTranspositions(int m, int n, int k)
    {
        foreach (bool transposeA in new[] { false, true })
            foreach (bool transposeB in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                {
                    CheckAgainstNaive<double>(transposeA, transposeB, m, n, k, accumulate, padding: 0);
                    CheckAgainstNaive<float>(transposeA, transposeB, m, n, k, accumulate, padding: 3);
                }
    }

    [Fact]
    public void EmptyDepthWritesZerosOrKeepsC()
    {
        var c = new float[] { 1, 2, 3, 4, 5, 6 };
        var none = new float[1];
        fixed (float* pc = c, pa = none, pb = none)
        {
            Gemm.Multiply(false, false, 2, 3, 0, pa, 1, pb, 3, pc, 3, accumulate: true);
            Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, c);
            Gemm.Multiply(false, true, 2, 3, 0, pa, 1, pb, 1, pc, 3, accumulate: false);
            Assert.Equal(new float[6], c);
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void RepeatedCallsAndCallerScratchGiveIdenticalBits(bool transposeA, bool transposeB)
    {
        const int m = 37, n = 101, k = 300;
        var a = TestArrays.Uniform<float>(m * k, 1);
        var b = TestArrays.Uniform<float>(k * n, 2);
        var first = new float[m * n];
        var second = new float[m * n];
        var third = new float[m * n];
        // An odd offset checks that unaligned scratch is accepted.
        var scratch = new float[Gemm.MultiplyScratchElements<float>(m, n, k) + 1];
        fixed (float* pa = a, pb = b, p1 = first, p2 = second, p3 = third, ps = scratch)
        {
            int lda = transposeA ? m : k, ldb = transposeB ? k : n;
            Gemm.Multiply(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, p1, n, false);
            Gemm.Multiply(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, p2, n, false);
            Gemm.Multiply(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, p3, n, false, ps + 1);
        }

        TestArrays.AssertIdentical(first, second, "repeated call");
        TestArrays.AssertIdentical(first, third, "caller scratch");
    }

    /// <summary>Compares against a plain triple loop in double, with leading dimensions <paramref name="padding"/> larger than needed.</summary>
    private static void CheckAgainstNaive<T>(bool transposeA, bool transposeB, int m, int n, int k, bool accumulate, int padding)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int aRows = transposeA ? k : m, aColumns = transposeA ? m : k;
        int bRows = transposeB ? n : k, bColumns = transposeB ? k : n;
        int lda = aColumns + padding, ldb = bColumns + padding, ldc = n + padding;
        var a = TestArrays.Uniform<T>((long)aRows * lda, m + 7 * n);
        var b = TestArrays.Uniform<T>((long)bRows * ldb, k + 3);
        var c = TestArrays.Uniform<T>((long)m * ldc, 11);
        var expected = new double[c.Length];
        var magnitude = new double[c.Length];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? double.CreateTruncating(c[i * ldc + j]) : 0, scale = Math.Abs(sum);
                for (int p = 0; p < k; p++)
                {
                    double x = double.CreateTruncating(transposeA ? a[p * lda + i] : a[i * lda + p]);
                    double y = double.CreateTruncating(transposeB ? b[j * ldb + p] : b[p * ldb + j]);
                    sum += x * y;
                    scale += Math.Abs(x * y);
                }

                expected[i * ldc + j] = sum;
                magnitude[i * ldc + j] = scale;
            }

            // Padding columns of C must be left untouched.
            for (int j = n; j < ldc; j++)
            {
                expected[i * ldc + j] = double.CreateTruncating(c[i * ldc + j]);
            }
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            Gemm.Multiply(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate);
        }

        TestArrays.AssertClose(expected, magnitude, c, TestArrays.Tolerance<T>(),
            $"{typeof(T).Name} gemm tA={transposeA} tB={transposeB} {m}x{n}x{k} accumulate={accumulate}");
    }
}
