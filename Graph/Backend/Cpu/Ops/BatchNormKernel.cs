using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Batch normalisation, one task per channel: in a training program the channel's batch mean and
/// biased variance are computed first (in double, images in order), in an inference program the
/// running statistics are read; either way they are written to the statistics outputs (for the
/// backward pass and the running-statistics update), then the channel is normalised, scaled and
/// shifted.
/// </summary>
[CpuKernelFor(typeof(BatchNormOp))]
internal sealed unsafe class BatchNormKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensor _x, _gamma, _beta, _runningMean, _runningVar, _y, _mean, _var;
    private readonly BatchNormLayout _layout;
    private readonly double _eps;
    private readonly bool _useBatchStatistics;

    public BatchNormKernel(CpuKernelArgs args)
    {
        (_x, _gamma, _beta, _runningMean, _runningVar) = (args.Inputs[0], args.Inputs[1], args.Inputs[2], args.Inputs[3], args.Inputs[4]);
        (_y, _mean, _var) = (args.Outputs[0], args.Outputs[1], args.Outputs[2]);
        _layout = BatchNormLayout.Of(_x.Shape);
        _eps = ((BatchNormOp)args.Node.Op).Eps;
        _useBatchStatistics = args.Mode == ProgramMode.Training;
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_layout.Channels, this);

    public void Execute(int c, int worker)
    {
        T* x = _x.Ptr<T>(), y = _y.Ptr<T>();
        var (mean, variance) = _useBatchStatistics
            ? BatchNormSums.Moments(x, _layout, c)
            : (double.CreateTruncating(_runningMean.Ptr<T>()[c]), double.CreateTruncating(_runningVar.Ptr<T>()[c]));
        _mean.Ptr<double>()[c] = mean;
        _var.Ptr<double>()[c] = variance;
        var scale = double.CreateTruncating(_gamma.Ptr<T>()[c]) / Math.Sqrt(variance + _eps);
        var (m, s, shift) = (T.CreateTruncating(mean), T.CreateTruncating(scale), _beta.Ptr<T>()[c]);
        for (var n = 0; n < _layout.Images; n++)
        {
            var offset = _layout.RowOffset(n, c);
            ScaleRow(x + offset, y + offset, _layout.Plane, m, s, shift);
        }
    }

    /// <summary>y = (x - mean) * scale + shift; centring first keeps float32 accurate when mean &gt;&gt; std.</summary>
    private static void ScaleRow(T* x, T* y, long n, T mean, T scale, T shift)
    {
        var w = Vector<T>.Count;
        var (vm, vs, vb) = (new Vector<T>(mean), new Vector<T>(scale), new Vector<T>(shift));
        long i = 0;
        for (; i + w <= n; i += w) ((Vector.Load(x + i) - vm) * vs + vb).Store(y + i);
        for (; i < n; i++) y[i] = (x[i] - mean) * scale + shift;
    }
}
