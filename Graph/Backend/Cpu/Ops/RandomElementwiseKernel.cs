using StaticGraph.Random;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The shared shape of the elementwise random kernels (uniform, normal, Bernoulli, beta): element i
/// is a function of the Philox blocks at counter (i, draw, stream, step) alone, so the work splits
/// into fixed chunks in any order and the result cannot depend on the thread count.
/// </summary>
internal abstract unsafe class RandomElementwiseKernel(CpuKernelArgs args) : CpuKernel, IParallelBody
{
    private readonly CpuTensor _y = args.Output;
    private readonly uint _stream = ((RandomOp)args.Node.Op).Stream;
    private ulong _seed;
    private uint _step;

    public override void Run(CpuContext ctx)
    {
        _seed = ctx.Seed;
        // The step word is 32 bits: steps repeat their draws only after 2^32 steps.
        _step = (uint)ctx.Step;
        ctx.Workers.For(UnaryKernel.ChunkCount(_y.Length), this);
    }

    public void Execute(int task, int worker)
    {
        var start = (long)task * ElementwiseLayout.ElementsPerTask;
        var end = Math.Min(start + ElementwiseLayout.ElementsPerTask, _y.Length);
        var counter = new RandomCounter(_seed, _stream, _step);
        if (_y.Type.DType == DType.F32)
        {
            var y = _y.Ptr<float>();
            for (var i = start; i < end; i++) y[i] = DrawF32(counter, (uint)i);
        }
        else
        {
            var y = _y.Ptr<double>();
            for (var i = start; i < end; i++) y[i] = DrawF64(counter, (uint)i);
        }
    }

    /// <summary>Element <paramref name="element"/> of an f32 output.</summary>
    protected abstract float DrawF32(RandomCounter counter, uint element);

    /// <summary>Element <paramref name="element"/> of an f64 output.</summary>
    protected abstract double DrawF64(RandomCounter counter, uint element);
}

/// <summary>The fixed words of one random node's counters in one run: the key (seed), the stream and the step.</summary>
internal readonly record struct RandomCounter(ulong Seed, uint Stream, uint Step)
{
    /// <summary>The Philox block at counter (element, draw, stream, step).</summary>
    public (uint X0, uint X1, uint X2, uint X3) Bits(uint element, uint draw) =>
        RandomStream.Bits(Seed, element, draw, Stream, Step);
}
