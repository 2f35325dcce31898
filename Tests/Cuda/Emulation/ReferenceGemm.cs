using StaticGraph.Cuda.Lowering;

namespace StaticGraph.Tests.Cuda.Emulation;

/// <summary>
/// cuBLAS GEMM by its definition (column-major): C = alpha*op(A)*op(B) + beta*C, with A and B of
/// <see cref="GemmCommand.OperandDType"/> (16-bit in mixed precision) and C of the command's dtype.
/// </summary>
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
                    sum += Load(g.OperandDType, a, ai) * Load(g.OperandDType, b, bi);
                }
                var ci = i + (long)j * g.Ldc;
                var old = g.Beta == 0 ? 0 : g.Beta * Load(g.DType, c, ci);
                Store(g.DType, c, ci, g.Alpha * sum + old);
            }
        }
    }

    public static double Load(DType t, byte* p, long i) => t switch
    {
        DType.F32 => ((float*)p)[i],
        DType.F64 => ((double*)p)[i],
        DType.F16 => HalfBits.F16ToSingle(((ushort*)p)[i]),
        DType.BF16 => HalfBits.Bf16ToSingle(((ushort*)p)[i]),
        _ => throw new NotSupportedException($"no {t} data in GEMMs and convolutions"),
    };

    /// <summary>Stores a sum; 16-bit results go through f32 first, as cuDNN's f32 accumulator does before its output conversion.</summary>
    public static void Store(DType t, byte* p, long i, double v)
    {
        switch (t)
        {
            case DType.F32: ((float*)p)[i] = (float)v; break;
            case DType.F64: ((double*)p)[i] = v; break;
            case DType.F16: ((ushort*)p)[i] = HalfBits.SingleToF16((float)v); break;
            case DType.BF16: ((ushort*)p)[i] = HalfBits.SingleToBf16((float)v); break;
            default: throw new NotSupportedException($"no {t} data in GEMMs and convolutions");
        }
    }
}
