using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Bernoulli draws: <c>sg_bernoulli_&lt;t&gt;</c>, one thread per element, the uniform recipe compared with p in double (so
/// p is never rounded to f32 and a mask agrees with a uniform node of the same stream), bit for bit as on the CPU.
/// </summary>
[CudaLoweringFor(typeof(BernoulliOp))]
internal sealed class BernoulliLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var type = ctx.Type;
        var (t, u) = (type.C(), type == KernelType.F32 ? "(double)sg_uniform_f32(w.x0)" : "sg_uniform_f64(w.x0, w.x1)");
        var kernel = RandomDrawKernel.Create($"sg_bernoulli_{type.Suffix()}", ctx.Node.DType, [new("double", "p")],
            $"""
            const sg_u32x4 w = sg_random_bits(seed, (unsigned int)i, 0u, stream, step);
            out[i] = {u} < p ? ({t})1 : ({t})0;
            """);
        RandomDrawKernel.Launch(ctx, kernel, ctx.Node.Shape.ElementCount, KernelArg.F64(((BernoulliOp)ctx.Node.Op).P));
    }
}
