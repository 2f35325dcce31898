namespace StaticGraph.Backend.Cpu;

/// <summary>Copies a tensor into a larger broadcast shape.</summary>
[CpuKernelFor(typeof(BroadcastToOp))]
internal sealed unsafe class BroadcastToKernel(CpuKernelArgs args) : CpuKernel, IParallelBody
{
    private readonly CpuTensor _x = args.Inputs[0], _y = args.Output;
    private readonly ElementwiseLayout _layout = new(args.Output.Shape, args.Inputs[0].Shape);

    public override void Run(CpuContext ctx) => ctx.Workers.For(_layout.Tasks, this);

    public void Execute(int task, int worker)
    {
        var l = _layout;
        var size = _y.Type.DType.SizeInBytes();
        var first = (long)task * l.RowsPerTask;
        var last = Math.Min(l.Rows, first + l.RowsPerTask);
        var stride = l.Strides[0][^1];
        for (var row = first; row < last; row++)
        {
            var src = _x.Data + l.RowOffset(0, row) * size;
            var dst = _y.Data + row * l.Inner * size;
            if (stride == 1)
            {
                Buffer.MemoryCopy(src, dst, l.Inner * size, l.Inner * size);
                continue;
            }
            // A broadcast innermost axis is a fill with one element's bits.
            if (size == 4) new Span<int>(dst, (int)l.Inner).Fill(*(int*)src);
            else if (size == 8) new Span<long>(dst, (int)l.Inner).Fill(*(long*)src);
            else for (long i = 0; i < l.Inner; i++) Buffer.MemoryCopy(src, dst + i * size, size, size);
        }
    }
}
