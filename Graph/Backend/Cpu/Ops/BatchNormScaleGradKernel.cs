using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The gamma gradient of batch normalisation, one task per channel:
/// <c>sum(dy * xhat) = invstd * sum(dy * (x - mean))</c> from the batch statistics, in double.
/// </summary>
[CpuKernelFor(typeof(BatchNormScaleGradOp))]
internal sealed unsafe class BatchNormScaleGradKernel : CpuKernel, IParallelBody
{
    private readonly CpuTensor _x, _dy, _dgamma;
    private readonly BatchNormLayout _layout;
    private readonly double _eps;

    public BatchNormScaleGradKernel(CpuKernelArgs args)
    {
        (_x, _dy, _dgamma) = (args.Inputs[0], args.Inputs[1], args.Output);
        _layout = BatchNormLayout.Of(_x.Shape);
        _eps = ((BatchNormScaleGradOp)args.Node.Op).Eps;
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_layout.Channels, this);

    public void Execute(int task, int worker)
    {
        if (_x.Type.DType == DType.F32) ScaleGrad<float>(task);
        else ScaleGrad<double>(task);
    }

    private void ScaleGrad<T>(int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* x = _x.Ptr<T>(), dy = _dy.Ptr<T>();
        var (mean, variance) = BatchNormSums.Moments(x, _layout, c);
        var (_, sumDyCentred) = BatchNormSums.GradientSums(x, dy, _layout, c, mean);
        _dgamma.Ptr<T>()[c] = T.CreateTruncating(sumDyCentred / Math.Sqrt(variance + _eps));
    }
}
