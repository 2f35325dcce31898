using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Normal draws: <c>sg_normal_&lt;t&gt;</c>, one thread per element, Box–Muller in double exactly as the CPU writes it
/// (u1 = 1 - U53(x0, x1), u2 = U53(x2, x3), sqrt(-2 log u1) * cos(2 pi u2), then fma(std, z, mean)); f32 rounds the double.
/// Only log and cos may differ from the CPU's, by about an ulp of double.
/// </summary>
[CudaLoweringFor(typeof(NormalOp))]
internal sealed class NormalLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (NormalOp)ctx.Node.Op;
        var type = ctx.Type;
        var kernel = RandomDrawKernel.Create($"sg_normal_{type.Suffix()}", ctx.Node.DType,
            [new("double", "mean"), new("double", "stddev")],
            $"""
            const sg_u32x4 w = sg_random_bits(seed, (unsigned int)i, 0u, stream, step);
            const double u1 = 1.0 - sg_uniform_f64(w.x0, w.x1); /* (0, 1]: the log stays finite */
            const double u2 = sg_uniform_f64(w.x2, w.x3);
            const double z = sqrt(-2.0 * log(u1)) * cos(2.0 * {RandomDrawKernel.Literal(Math.PI)} * u2);
            out[i] = ({type.C()})fma(stddev, z, mean);
            """);
        RandomDrawKernel.Launch(ctx, kernel, ctx.Node.Shape.ElementCount, KernelArg.F64(op.Mean), KernelArg.F64(op.Std));
    }
}
