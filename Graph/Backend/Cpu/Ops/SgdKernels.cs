using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>v' = momentum*v + (g + wd*p).</summary>
[CpuKernelFor(typeof(SgdVelocityOp))]
internal sealed unsafe class SgdVelocityKernel<T>(CpuKernelArgs args) : CpuKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SgdVelocityOp _op = (SgdVelocityOp)args.Node.Op;
    private readonly CpuTensor _v = args.Inputs[0], _g = args.Inputs[1], _p = args.Inputs[2], _y = args.Output;

    public override void Run(CpuContext ctx)
    {
        T m = T.CreateChecked(_op.Momentum), wd = T.CreateChecked(_op.WeightDecay);
        T* v = _v.Ptr<T>(), g = _g.Ptr<T>(), p = _p.Ptr<T>(), y = _y.Ptr<T>();
        for (long i = 0; i < _y.Length; i++) y[i] = m * v[i] + (g[i] + wd * p[i]);
    }
}

/// <summary>p' = p - lr*v' (plain) or p - lr*(g + wd*p + momentum*v') (Nesterov).</summary>
[CpuKernelFor(typeof(SgdParamOp))]
internal sealed unsafe class SgdParamKernel<T>(CpuKernelArgs args) : CpuKernel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly SgdParamOp _op = (SgdParamOp)args.Node.Op;
    private readonly CpuTensor _p = args.Inputs[0], _g = args.Inputs[1], _v = args.Inputs[2], _lr = args.Inputs[3], _y = args.Output;

    public override void Run(CpuContext ctx)
    {
        T m = T.CreateChecked(_op.Momentum), wd = T.CreateChecked(_op.WeightDecay), lr = *_lr.Ptr<T>();
        T* p = _p.Ptr<T>(), g = _g.Ptr<T>(), v = _v.Ptr<T>(), y = _y.Ptr<T>();
        if (_op.Nesterov)
            for (long i = 0; i < _y.Length; i++) y[i] = p[i] - lr * (g[i] + wd * p[i] + m * v[i]);
        else
            for (long i = 0; i < _y.Length; i++) y[i] = p[i] - lr * v[i];
    }
}
