using System.Numerics;
using StaticGraph.Random;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The shared shape of the elementwise random kernels (uniform, normal, Bernoulli, beta): element i
/// is a function of the Philox blocks at counter (i, draw, stream, step) alone, so the work splits
/// into fixed chunks in any order and the result cannot depend on the thread count.
/// </summary>
internal abstract unsafe class RandomElementwiseKernel<T>(CpuKernelArgs args) : CpuKernel, IParallelBody
    where T : unmanaged, IFloatingPointIeee754<T>
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
        ctx.Workers.For(ElementwiseLayout.ChunkCount(_y.Length), this);
    }

    public void Execute(int task, int worker)
    {
        var start = (long)task * ElementwiseLayout.ElementsPerTask;
        var end = Math.Min(start + ElementwiseLayout.ElementsPerTask, _y.Length);
        var counter = new RandomCounter(_seed, _stream, _step);
        var y = _y.Ptr<T>();
        for (var i = start; i < end; i++) y[i] = Draw(counter, (uint)i);
    }

    /// <summary>Element <paramref name="element"/> of the output.</summary>
    protected abstract T Draw(RandomCounter counter, uint element);

    /// <summary>
    /// A uniform in [0, 1) with the element type's resolution, as the random ops' recipes define it: the top 24 bits
    /// of word 0 for f32 (exactly a float), 53 bits of words 0 and 1 for f64.
    /// </summary>
    protected static double UniformOfElementType((uint X0, uint X1, uint X2, uint X3) w) =>
        typeof(T) == typeof(float) ? RandomStream.UniformF32(w.X0) : RandomStream.UniformF64(w.X0, w.X1);
}

/// <summary>The fixed words of one random node's counters in one run: the key (seed), the stream and the step.</summary>
internal readonly record struct RandomCounter(ulong Seed, uint Stream, uint Step)
{
    /// <summary>The Philox block at counter (element, draw, stream, step).</summary>
    public (uint X0, uint X1, uint X2, uint X3) Bits(uint element, uint draw) =>
        RandomStream.Bits(Seed, element, draw, Stream, Step);
}
