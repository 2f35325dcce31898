namespace StaticGraph.Backend.Cpu;

/// <summary>One-hot rows; labels are checked on the calling thread first, so a bad one fails naming its row.</summary>
[CpuKernelFor(typeof(OneHotOp))]
internal sealed unsafe class OneHotKernel(CpuKernelArgs args) : CpuKernel
{
    private readonly Node _node = args.Node;
    private readonly CpuTensor _labels = args.Inputs[0], _y = args.Output;
    private readonly int _classes = ((OneHotOp)args.Node.Op).Classes;

    // N x K values, a few thousand per batch: one thread writes them faster than a fork and join.
    public override void Run(CpuContext ctx)
    {
        var labels = _labels.Ptr<int>();
        for (long row = 0; row < _labels.Length; row++)
        {
            if ((uint)labels[row] >= (uint)_classes)
                throw new IndexOutOfRangeException($"{GraphPrinter.Line(_node)}: the label of row {row} is {labels[row]}, outside the {_classes} classes [0, {_classes})");
        }
        new Span<byte>(_y.Data, checked((int)_y.Type.SizeInBytes)).Clear();
        for (long row = 0; row < _labels.Length; row++) CpuValues.Set(_y, row * _classes + labels[row], 1);
    }
}
