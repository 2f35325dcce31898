using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The gradients of training-mode batch normalisation, one task per channel: the forward pass's
/// mean and variance are read (not computed again), the two gradient sums <c>sum(dy)</c> and
/// <c>sum(dy*(x - mean))</c> are taken in one pass in double, and all three outputs follow from
/// them: <c>dbeta = sum(dy)</c>, <c>dgamma = invstd*sum(dy*(x - mean))</c> and
/// <c>dx = a*(dy - mean(dy)) - k*(x - mean)</c> with <c>a = gamma*invstd</c> and
/// <c>k = a*invstd^2*mean(dy*(x - mean))</c>.
/// </summary>
/// <remarks>
/// When dy is a masked gradient that is not stored (<see cref="CpuFusionPlan"/>: the gradient of a ReLU after batch
/// norm), each pass recomputes its rows into the worker's scratch, a row at a time, and reads them from there.
/// </remarks>
[CpuKernelFor(typeof(BatchNormBackwardOp))]
internal sealed unsafe class BatchNormBackwardKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensor _x, _gamma, _dy, _mean, _var, _dx, _dgamma, _dbeta;
    private readonly BatchNormLayout _layout;
    private readonly double _eps;
    private readonly IRows<T>? _dyRows;
    private CpuContext? _context;

    public BatchNormBackwardKernel(CpuKernelArgs args)
    {
        (_x, _gamma, _dy, _mean, _var) = (args.Inputs[0], args.Inputs[1], args.Inputs[2], args.Inputs[3], args.Inputs[4]);
        (_dx, _dgamma, _dbeta) = (args.Outputs[0], args.Outputs[1], args.Outputs[2]);
        _layout = BatchNormLayout.Of(_x.Shape);
        _eps = ((BatchNormBackwardOp)args.Node.Op).Eps;
        _dyRows = (IRows<T>?)args.InputRows[2];
        if (_dyRows is not null) args.RequestScratchPerWorker((_layout.Plane + 16) * sizeof(T));
    }

    public override void Run(CpuContext ctx)
    {
        _context = ctx;
        ctx.Workers.For(_layout.Channels, this);
    }

    public void Execute(int c, int worker)
    {
        T* x = _x.Ptr<T>(), dy = _dy.Ptr<T>(), dx = _dx.Ptr<T>();
        var count = (double)_layout.PerChannel;
        var (mean, variance) = (_mean.Ptr<double>()[c], _var.Ptr<double>()[c]);
        T* row = _dyRows is null ? null : (T*)_context!.ScratchFor(worker);
        var (sumDy, sumDyCentred) = row is null ? BatchNormSums.GradientSums(x, dy, _layout, c, mean) : RowSums(x, row, c, mean);
        _dbeta.Ptr<T>()[c] = T.CreateTruncating(sumDy);
        _dgamma.Ptr<T>()[c] = T.CreateTruncating(sumDyCentred / Math.Sqrt(variance + _eps));
        var invStd = 1 / Math.Sqrt(variance + _eps);
        var a = double.CreateTruncating(_gamma.Ptr<T>()[c]) * invStd;
        var k = a * invStd * invStd * (sumDyCentred / count);
        var (tm, ta, tk, tMeanDy) = (T.CreateTruncating(mean), T.CreateTruncating(a), T.CreateTruncating(k), T.CreateTruncating(sumDy / count));
        for (var n = 0; n < _layout.Images; n++)
        {
            var offset = _layout.RowOffset(n, c);
            T* g = dy + offset;
            if (row is not null)
            {
                _dyRows!.Row(n, c, row);
                g = row;
            }
            GradientRow(x + offset, g, dx + offset, _layout.Plane, tm, ta, tk, tMeanDy);
        }
    }

    /// <summary><see cref="BatchNormSums.GradientSums"/> over recomputed dy rows: the same sums in the same order.</summary>
    private (double SumDy, double SumDyCentred) RowSums(T* x, T* row, int c, double mean)
    {
        double sumDy = 0, sumDyCentred = 0;
        var single = _layout with { Images = 1, Channels = 1 };
        for (var n = 0; n < _layout.Images; n++)
        {
            _dyRows!.Row(n, c, row);
            var (a, b) = BatchNormSums.GradientSums(x + _layout.RowOffset(n, c), row, single, 0, mean);
            sumDy += a;
            sumDyCentred += b;
        }
        return (sumDy, sumDyCentred);
    }

    private static void GradientRow(T* x, T* dy, T* dx, long n, T mean, T a, T k, T meanDy)
    {
        var w = Vector<T>.Count;
        var (vm, va, vk, vd) = (new Vector<T>(mean), new Vector<T>(a), new Vector<T>(k), new Vector<T>(meanDy));
        long i = 0;
        for (; i + w <= n; i += w) (va * (Vector.Load(dy + i) - vd) - vk * (Vector.Load(x + i) - vm)).Store(dx + i);
        for (; i < n; i++) dx[i] = a * (dy[i] - meanDy) - k * (x[i] - mean);
    }
}
