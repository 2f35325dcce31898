using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Uniform draws: <c>sg_uniform_&lt;t&gt;</c>, one thread per element, the CPU's recipe bit for bit (U24 of word 0 for f32,
/// U53 of words 0 and 1 for f64, then one fma in double with low and high - low as the CPU computes them).
/// </summary>
[CudaLoweringFor(typeof(UniformOp))]
internal sealed class UniformLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var op = (UniformOp)ctx.Node.Op;
        var type = ctx.Type;
        var u = type == KernelType.F32 ? "(double)sg_uniform_f32(w.x0)" : "sg_uniform_f64(w.x0, w.x1)";
        var kernel = RandomDrawKernel.Create($"sg_uniform_{type.Suffix()}", ctx.Node.DType,
            [new("double", "low"), new("double", "span")],
            $"""
            const sg_u32x4 w = sg_random_bits(seed, (unsigned int)i, 0u, stream, step);
            out[i] = ({type.C()})fma(span, {u}, low);
            """);
        RandomDrawKernel.Launch(ctx, kernel, ctx.Node.Shape.ElementCount, KernelArg.F64(op.Low), KernelArg.F64(op.High - op.Low));
    }
}
