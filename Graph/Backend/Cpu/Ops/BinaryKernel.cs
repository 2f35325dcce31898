using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>Broadcasting binary elementwise ops; the inner loop is vectorised for each stride pattern.</summary>
[CpuKernelFor(typeof(BinaryOp))]
internal sealed unsafe class BinaryKernel<T> : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly BinaryFunction _fn;
    private readonly ElementwiseLayout _layout;
    private readonly CpuTensor _a, _b, _y;

    public BinaryKernel(CpuKernelArgs args)
    {
        _fn = ((BinaryOp)args.Node.Op).Function;
        (_a, _b, _y) = (args.Inputs[0], args.Inputs[1], args.Output);
        _layout = new ElementwiseLayout(_y.Shape, _a.Shape, _b.Shape);
    }

    public override void Run(CpuContext ctx) => ctx.Workers.For(_layout.Tasks, this);

    public void Execute(int task, int worker) => Dispatch(task);

    private void Dispatch(int task)
    {
        switch (_fn)
        {
            case BinaryFunction.Add: Rows<AddFn<T>>(task); break;
            case BinaryFunction.Sub: Rows<SubFn<T>>(task); break;
            case BinaryFunction.Mul: Rows<MulFn<T>>(task); break;
            case BinaryFunction.Div: Rows<DivFn<T>>(task); break;
            case BinaryFunction.Max: Rows<MaxFn<T>>(task); break;
            case BinaryFunction.Min: Rows<MinFn<T>>(task); break;
            case BinaryFunction.Greater: Rows<GreaterFn<T>>(task); break;
            case BinaryFunction.Equal: Rows<EqualFn<T>>(task); break;
            case BinaryFunction.ReluBackward: Rows<ReluBackwardFn<T>>(task); break;
            default: throw new NotSupportedException($"no CPU kernel for {_fn}");
        }
    }

    private void Rows<TFn>(int task) where TFn : IBinaryFn<T>
    {
        var l = _layout;
        var first = (long)task * l.RowsPerTask;
        var last = Math.Min(l.Rows, first + l.RowsPerTask);
        var (sa, sb) = (l.Strides[0][^1], l.Strides[1][^1]);
        T* a = _a.Ptr<T>(), b = _b.Ptr<T>(), y = _y.Ptr<T>();
        for (var row = first; row < last; row++)
        {
            Row<TFn>(a + l.RowOffset(0, row), sa, b + l.RowOffset(1, row), sb, y + row * l.Inner, l.Inner);
        }
    }

    private static void Row<TFn>(T* a, long sa, T* b, long sb, T* y, long n) where TFn : IBinaryFn<T>
    {
        long i = 0;
        var w = Vector<T>.Count;
        if (sa == 1 && sb == 1)
        {
            for (; i + w <= n; i += w) TFn.Apply(Vector.Load(a + i), Vector.Load(b + i)).Store(y + i);
            for (; i < n; i++) y[i] = TFn.Apply(a[i], b[i]);
        }
        else if (sa == 1)
        {
            var vb = new Vector<T>(*b);
            for (; i + w <= n; i += w) TFn.Apply(Vector.Load(a + i), vb).Store(y + i);
            for (; i < n; i++) y[i] = TFn.Apply(a[i], *b);
        }
        else if (sb == 1)
        {
            var va = new Vector<T>(*a);
            for (; i + w <= n; i += w) TFn.Apply(va, Vector.Load(b + i)).Store(y + i);
            for (; i < n; i++) y[i] = TFn.Apply(*a, b[i]);
        }
        else
        {
            for (; i < n; i++) y[i] = TFn.Apply(a[i * sa], b[i * sb]);
        }
    }
}
