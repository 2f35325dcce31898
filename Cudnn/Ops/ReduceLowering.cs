using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Sum, mean and max over axes: <c>sg_reduce_{sum|max}_T</c>, one thread per output reducing its elements in a fixed
/// order (no atomics, so results are deterministic). Dimensions are merged into kept and reduced groups as the CPU kernel
/// does. Long reductions (more than <see cref="SinglePassLimit"/> elements per output) take two launches of the same
/// kernel: partials over fixed chunks into scratch, then one thread per output combining its partials in order.
/// </summary>
[CudaLoweringFor(typeof(ReduceOp))]
internal sealed class ReduceLowering : ICudaLowering
{
    /// <summary>The most elements one thread reduces in a single pass.</summary>
    internal const long SinglePassLimit = 4096;

    /// <summary>The elements per partial of a two-pass reduction.</summary>
    internal const long Chunk = 1024;

    public void Lower(LoweringContext ctx)
    {
        var op = (ReduceOp)ctx.Node.Op;
        var x = ctx.Node.Inputs[0];
        var (kept, reduced) = Groups(x.Shape, op.NormalisedAxes(x.Shape));
        var outputs = ctx.Node.Shape.ElementCount;
        var count = reduced.Aggregate(1L, (a, d) => a * d.Dim);
        var type = ctx.Type;
        // The CPU scales the sum by 1/count computed in the element type.
        var scale = op.Function != ReduceFunction.Mean ? 1.0 : type == KernelType.F32 ? 1f / count : 1.0 / count;
        var kernel = Kernel(op.Function == ReduceFunction.Max, type);
        if (outputs == 0) return;
        if (count <= SinglePassLimit)
        {
            Launch(ctx, kernel, ctx.InputArg(0), ctx.OutputArg, outputs, 1, count, count, kept, reduced, scale);
            return;
        }
        var chunks = (count + Chunk - 1) / Chunk;
        var partials = KernelArg.Pointer(ctx.Scratch(outputs * chunks * x.DType.SizeInBytes()));
        Launch(ctx, kernel, ctx.InputArg(0), partials, outputs, chunks, Chunk, count, kept, reduced, 1);
        // The partials form an [outputs, chunks] tensor; reduce its last axis.
        Launch(ctx, kernel, partials, ctx.OutputArg, outputs, 1, chunks, chunks, [(outputs, chunks)], [(chunks, 1)], scale);
    }

    private static void Launch(LoweringContext ctx, CudaKernelSource kernel, KernelArg x, KernelArg y, long outputs, long chunks, long chunk,
        long count, IReadOnlyList<(long Dim, long Stride)> kept, IReadOnlyList<(long Dim, long Stride)> reduced, double scale) =>
        ctx.Launch(kernel, outputs * chunks, x, y, KernelArg.I64(outputs * chunks), KernelArg.I64(chunks), KernelArg.I64(chunk), KernelArg.I64(count),
            KernelArg.I32(kept.Count), KernelArg.Dims(kept.Select(k => k.Dim).ToArray()), KernelArg.Dims(kept.Select(k => k.Stride).ToArray()),
            KernelArg.I32(reduced.Count), KernelArg.Dims(reduced.Select(r => r.Dim).ToArray()), KernelArg.Dims(reduced.Select(r => r.Stride).ToArray()),
            KernelArg.Scalar(ctx.Type, scale));

    /// <summary>
    /// Kept and reduced dimensions in order, each merged with its predecessor of the same group when contiguous with it
    /// (the CPU kernel's grouping). A tensor with no kept dimension gets one of extent 1.
    /// </summary>
    private static (List<(long Dim, long Stride)> Kept, List<(long Dim, long Stride)> Reduced) Groups(Shape shape, int[] axes)
    {
        var strides = shape.Strides();
        var kept = new List<(long Dim, long Stride)>();
        var reduced = new List<(long Dim, long Stride)>();
        for (var i = 0; i < shape.Rank; i++)
        {
            var isReduced = Array.IndexOf(axes, i) >= 0;
            var list = isReduced ? reduced : kept;
            var adjacent = i > 0 && isReduced == (Array.IndexOf(axes, i - 1) >= 0);
            if (list.Count > 0 && adjacent && list[^1].Stride == strides[i] * shape[i]) list[^1] = (list[^1].Dim * shape[i], strides[i]);
            else list.Add((shape[i], strides[i]));
        }
        if (kept.Count == 0) kept.Add((1, 0));
        if (kept.Count > KernelTypes.MaxRank || reduced.Count > KernelTypes.MaxRank)
            throw new NotSupportedException($"reductions of shape {shape} over [{string.Join(",", axes)}] need more than {KernelTypes.MaxRank} dimension groups");
        return (kept, reduced);
    }

    /// <summary>
    /// Thread <c>i</c> reduces chunk <c>i % chunks</c> (of <c>chunk</c> elements) of output <c>i / chunks</c> and writes
    /// <c>y[i]</c>, the sum times <c>scale</c> or the maximum. The reduced elements are walked with an odometer over the
    /// reduced dimensions. Max propagates NaN and prefers +0 to -0, as .NET's <c>Max</c>.
    /// </summary>
    internal static CudaKernelSource Kernel(bool max, KernelType type)
    {
        var t = type.C();
        var name = $"sg_reduce_{(max ? "max" : "sum")}_{type.Suffix()}";
        var init = max ? $"-({t})__uint_as_float(0x7f800000u)" : $"({t})0";
        var combine = max ? $"acc = {MaxHelper.Name(type)}(acc, v);" : "acc += v;";
        var store = max ? "acc" : "acc * scale";
        KernelParameter[] parameters =
        [
            new($"const {t}* __restrict__", "x"),
            new($"{t}* __restrict__", "y"),
            KernelTypes.Count,
            new("long long", "chunks"), new("long long", "chunk"), new("long long", "count"),
            new("int", "keptRank"), new("sg_dims", "keptDims"), new("sg_dims", "keptStrides"),
            new("int", "reducedRank"), new("sg_dims", "reducedDims"), new("sg_dims", "reducedStrides"),
            new(t, "scale"),
        ];
        var body = $$"""
                {{KernelTypes.IndexLoop}}
                {
                    const long long o = i / chunks;
                    const long long first = (i % chunks) * chunk;
                    const long long last = min(count, first + chunk);
                    long long base = 0, rest = o;
                    for (int k = keptRank - 1; k >= 0; --k)
                    {
                        base += rest % keptDims.d[k] * keptStrides.d[k];
                        rest /= keptDims.d[k];
                    }
                    // Coordinates of the chunk's first element in the reduced dimensions.
                    long long c[{{KernelTypes.MaxRank}}];
                    long long offset = base;
                    rest = first;
                    for (int k = reducedRank - 1; k >= 0; --k)
                    {
                        c[k] = rest % reducedDims.d[k];
                        rest /= reducedDims.d[k];
                        offset += c[k] * reducedStrides.d[k];
                    }
                    {{t}} acc = {{init}};
                    for (long long r = first; r < last; ++r)
                    {
                        const {{t}} v = x[offset];
                        {{combine}}
                        for (int k = reducedRank - 1; k >= 0; --k)
                        {
                            offset += reducedStrides.d[k];
                            if (++c[k] < reducedDims.d[k]) break;
                            offset -= c[k] * reducedStrides.d[k];
                            c[k] = 0;
                        }
                    }
                    y[i] = {{store}};
                }
            """;
        return CudaKernelSource.Create(name, parameters, body, KernelTypes.DimsHelper, MaxHelper.Of(type));
    }
}

/// <summary>The maximum with .NET's semantics, shared by the reduction and softmax kernels.</summary>
internal static class MaxHelper
{
    /// <summary>The helper's function name for <paramref name="type"/>.</summary>
    public static string Name(KernelType type) => $"sg_max_{type.Suffix()}";

    /// <summary>
    /// <c>sg_max_T(a, b)</c>: NaN wins (as <c>TensorPrimitives.Max</c> and <c>T.Max</c>), and of two zeros the positive one
    /// (<c>-0 + +0</c> is <c>+0</c>; equal non-zero values are kept as they are).
    /// </summary>
    public static KernelHelper Of(KernelType type)
    {
        var t = type.C();
        return new KernelHelper(Name(type), $$"""
            SG_FN {{t}} {{Name(type)}}({{t}} a, {{t}} b)
            {
                if (a != a) return a;
                if (b != b) return b;
                if (a == b) return a == ({{t}})0 ? a + b : a;
                return a > b ? a : b;
            }
            """);
    }
}
