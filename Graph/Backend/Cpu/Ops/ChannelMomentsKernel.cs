using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Per-channel batch mean and unbiased variance into a [2, C] tensor, one task per channel, with
/// the same double-precision sums as <see cref="BatchNormKernel"/> so the running mean tracks
/// exactly the mean the forward pass normalised with.
/// </summary>
[CpuKernelFor(typeof(ChannelMomentsOp))]
internal sealed unsafe class ChannelMomentsKernel : CpuKernel, IParallelBody
{
    private readonly CpuTensor _x, _moments;
    private readonly BatchNormLayout _layout;

    public ChannelMomentsKernel(CpuKernelArgs args)
    {
        (_x, _moments) = (args.Inputs[0], args.Output);
        _layout = BatchNormLayout.Of(_x.Shape);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_layout.Channels, this);

    public void Execute(int task, int worker)
    {
        if (_x.Type.DType == DType.F32) Moments<float>(task);
        else Moments<double>(task);
    }

    private void Moments<T>(int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = _x.Ptr<T>();
        var (mean, biased) = BatchNormSums.Moments(x, _layout, c);
        var unbiased = biased * _layout.PerChannel / (_layout.PerChannel - 1);
        var moments = _moments.Ptr<T>();
        moments[c] = T.CreateTruncating(mean);
        moments[_layout.Channels + c] = T.CreateTruncating(unbiased);
    }
}
