using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Batch normalisation, one task per channel: in a training program the channel's batch mean and
/// biased variance are computed first (in double, images in order), in an inference program the
/// running statistics are read; either way they are written to the statistics outputs (for the
/// backward pass and the running-statistics update), then the channel is normalised, scaled and
/// shifted.
/// </summary>
/// <remarks>
/// With a ReLU fused in (<see cref="CpuFusionPlan"/>) the normalised value is not stored: the kernel writes the ReLU's
/// value instead, or, when every reader of the ReLU recomputes it from x and the statistics, only the statistics.
/// </remarks>
[CpuKernelFor(typeof(BatchNormOp))]
internal sealed unsafe class BatchNormKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensor _x, _gamma, _beta, _runningMean, _runningVar, _mean, _var;
    private readonly CpuTensor? _out;
    private readonly bool _relu;
    private readonly BatchNormLayout _layout;
    private readonly double _eps;
    private readonly bool _useBatchStatistics;

    public BatchNormKernel(CpuKernelArgs args)
    {
        (_x, _gamma, _beta, _runningMean, _runningVar) = (args.Inputs[0], args.Inputs[1], args.Inputs[2], args.Inputs[3], args.Inputs[4]);
        (_mean, _var) = (args.Outputs[1], args.Outputs[2]);
        if (args.FusedConsumers is [{ Node.Op: UnaryOp { Function: UnaryFunction.Relu }, Tensor: var relu }])
            (_out, _relu) = (relu.IsStored ? relu : null, true);
        else if (args.FusedConsumers.Count == 0)
            _out = args.Outputs[0].IsStored ? args.Outputs[0] : null;
        else
            throw new NotSupportedException($"batch norm's kernel computes a ReLU of its output, not {string.Join(", ", args.FusedConsumers.Select(c => c.Node))}");
        _layout = BatchNormLayout.Of(_x.Shape);
        _eps = ((BatchNormOp)args.Node.Op).Eps;
        _useBatchStatistics = args.Mode == ProgramMode.Training;
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_layout.Channels, this);

    public void Execute(int c, int worker)
    {
        T* x = _x.Ptr<T>();
        var (mean, variance) = _useBatchStatistics
            ? BatchNormSums.Moments(x, _layout, c)
            : (double.CreateTruncating(_runningMean.Ptr<T>()[c]), double.CreateTruncating(_runningVar.Ptr<T>()[c]));
        _mean.Ptr<double>()[c] = mean;
        _var.Ptr<double>()[c] = variance;
        if (_out is not { } output) return;
        var k = BatchNormCoefficients<T>.Of(mean, variance, _gamma.Ptr<T>()[c], _beta.Ptr<T>()[c], _eps);
        T* y = output.Ptr<T>();
        for (var n = 0; n < _layout.Images; n++)
        {
            var offset = _layout.RowOffset(n, c);
            k.Apply(x + offset, y + offset, _layout.Plane, _relu);
        }
    }
}
