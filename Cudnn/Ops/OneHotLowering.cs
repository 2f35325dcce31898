using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// One-hot rows: <c>sg_one_hot_T</c>, one thread per output element comparing its column with its row's label. A label
/// outside [0, K) cannot fail the run on the device as it does on the CPU: its row is NaN, so the loss built on it is.
/// </summary>
[CudaLoweringFor(typeof(OneHotOp))]
internal sealed class OneHotLowering : ICudaLowering
{
    public void Lower(LoweringContext ctx)
    {
        var n = ctx.Node.Shape.ElementCount;
        if (n == 0) return;
        ctx.Launch(Kernel(ctx.Type), n, ctx.InputArg(0), ctx.OutputArg, KernelArg.I64(n), KernelArg.I64(((OneHotOp)ctx.Node.Op).Classes));
    }

    private static CudaKernelSource Kernel(KernelType type)
    {
        var t = type.C();
        KernelParameter[] parameters = [new("const int* __restrict__", "labels"), new($"{t}* __restrict__", "y"), KernelTypes.Count, new("long long", "classes")];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    const long long label = labels[i / classes];
                    y[i] = label < 0 || label >= classes ? ({{t}})__uint_as_float(0x7fc00000u) : label == i % classes ? ({{t}})1 : ({{t}})0;
                }
            """;
        return CudaKernelSource.Create($"sg_one_hot_{type.Suffix()}", parameters, body);
    }
}
