namespace StaticGraph.Backend.Cpu;

/// <summary>Converts between f32, f64 and i32.</summary>
[CpuKernelFor(typeof(CastOp))]
internal sealed class CastKernel(CpuKernelArgs args) : CpuKernel
{
    private readonly CpuTensor _x = args.Inputs[0], _y = args.Output;

    public override void Run(CpuContext ctx)
    {
        for (long i = 0; i < _y.Length; i++)
        {
            var v = CpuValues.Get(_x, i);
            CpuValues.Set(_y, i, _y.Type.DType == DType.I32 ? Math.Truncate(v) : v);
        }
    }
}
