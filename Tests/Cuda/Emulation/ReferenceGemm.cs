using StaticGraph.Cuda.Lowering;

namespace StaticGraph.Tests.Cuda.Emulation;

/// <summary>cuBLAS GEMM by its definition (column-major): C = alpha*op(A)*op(B) + beta*C.</summary>
internal static unsafe class ReferenceGemm
{
    public static void Run(GemmCommand g, byte* a, byte* b, byte* c)
    {
        for (var j = 0; j < g.N; j++)
        {
            for (var i = 0; i < g.M; i++)
            {
                double sum = 0;
                for (var k = 0; k < g.K; k++)
                {
                    var ai = g.TransA ? k + (long)i * g.Lda : i + (long)k * g.Lda;
                    var bi = g.TransB ? j + (long)k * g.Ldb : k + (long)j * g.Ldb;
                    sum += Load(g.DType, a, ai) * Load(g.DType, b, bi);
                }
                var ci = i + (long)j * g.Ldc;
                var old = g.Beta == 0 ? 0 : g.Beta * Load(g.DType, c, ci);
                Store(g.DType, c, ci, g.Alpha * sum + old);
            }
        }
    }

    public static double Load(DType t, byte* p, long i) => t == DType.F32 ? ((float*)p)[i] : ((double*)p)[i];

    public static void Store(DType t, byte* p, long i, double v)
    {
        if (t == DType.F32) ((float*)p)[i] = (float)v;
        else ((double*)p)[i] = v;
    }
}
