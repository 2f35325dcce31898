using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The fused input gradient of training-mode batch normalisation, one task per channel: the batch
/// statistics and the two gradient sums in double, then
/// <c>dx = a*(dy - mean(dy)) - k*(x - mean)</c> with <c>a = gamma*invstd</c> and
/// <c>k = a*invstd^2*mean(dy*(x - mean))</c>.
/// </summary>
[CpuKernelFor(typeof(BatchNormBackwardOp))]
internal sealed unsafe class BatchNormBackwardKernel : CpuKernel, IParallelBody
{
    private readonly CpuTensor _x, _gamma, _dy, _dx;
    private readonly BatchNormLayout _layout;
    private readonly double _eps;

    public BatchNormBackwardKernel(CpuKernelArgs args)
    {
        (_x, _gamma, _dy, _dx) = (args.Inputs[0], args.Inputs[1], args.Inputs[2], args.Output);
        _layout = BatchNormLayout.Of(_x.Shape);
        _eps = ((BatchNormBackwardOp)args.Node.Op).Eps;
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_layout.Channels, this);

    public void Execute(int task, int worker)
    {
        if (_x.Type.DType == DType.F32) Backward<float>(task);
        else Backward<double>(task);
    }

    private void Backward<T>(int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* x = _x.Ptr<T>(), dy = _dy.Ptr<T>(), dx = _dx.Ptr<T>();
        var count = (double)_layout.PerChannel;
        var (mean, variance) = BatchNormSums.Moments(x, _layout, c);
        var (sumDy, sumDyCentred) = BatchNormSums.GradientSums(x, dy, _layout, c, mean);
        var invStd = 1 / Math.Sqrt(variance + _eps);
        var a = double.CreateTruncating(_gamma.Ptr<T>()[c]) * invStd;
        var k = a * invStd * invStd * (sumDyCentred / count);
        var (tm, ta, tk, tMeanDy) = (T.CreateTruncating(mean), T.CreateTruncating(a), T.CreateTruncating(k), T.CreateTruncating(sumDy / count));
        for (var n = 0; n < _layout.Images; n++)
        {
            var offset = _layout.RowOffset(n, c);
            GradientRow(x + offset, dy + offset, dx + offset, _layout.Plane, tm, ta, tk, tMeanDy);
        }
    }

    private static void GradientRow<T>(T* x, T* dy, T* dx, long n, T mean, T a, T k, T meanDy) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var w = Vector<T>.Count;
        var (vm, va, vk, vd) = (new Vector<T>(mean), new Vector<T>(a), new Vector<T>(k), new Vector<T>(meanDy));
        long i = 0;
        for (; i + w <= n; i += w) (va * (Vector.Load(dy + i) - vd) - vk * (Vector.Load(x + i) - vm)).Store(dx + i);
        for (; i < n; i++) dx[i] = a * (dy[i] - meanDy) - k * (x[i] - mean);
    }
}
