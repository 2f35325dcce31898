using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// The shape every random kernel shares: one thread per independent index (an element, a box, a patch) in a grid-stride
/// loop, with the seed and the step read from the control block at run time (they change every run while the launch
/// arguments are fixed when the plan is made, and a CUDA graph replays them) and the node's stream id as an argument. The
/// first four parameters are always <c>out, n, control, stream</c>; the op's own parameters follow.
/// </summary>
internal static class RandomDrawKernel
{
    /// <summary>
    /// <c>sg_pick(word, m)</c> = floor(word * m / 2^32), a uniform integer in 0 .. m-1 (the CPU's <c>RandomIntegers.Below</c>
    /// for a 32-bit word): integer arithmetic only, so it is the same on every device.
    /// </summary>
    public static KernelHelper PickHelper { get; } = new("pick",
        "SG_FN int sg_pick(unsigned int word, int m) { return (int)(((unsigned long long)word * (unsigned int)m) >> 32); }\n");

    /// <summary>
    /// A kernel whose thread for index <c>i &lt; n</c> runs <paramref name="body"/> with <c>seed</c>, <c>step</c>,
    /// <c>stream</c> and <c>i</c> in scope; the output is <c>out</c> of <paramref name="output"/>'s C type.
    /// </summary>
    public static CudaKernelSource Create(string name, DType output, IEnumerable<KernelParameter> extra, string body, params KernelHelper[] helpers)
    {
        List<KernelParameter> parameters =
        [
            KernelTypes.Pointer(output, "out", isConst: false),
            KernelTypes.Count,
            KernelTypes.Control,
            new("unsigned int", "stream"),
            .. extra,
        ];
        var code = $$"""
                const unsigned long long seed = control[0];
                /* The step word of the counter is 32 bits, as on the CPU. */
                const unsigned int step = (unsigned int)control[1];
                {{KernelTypes.IndexLoop}}
                {
            {{Indent(body)}}
                }
            """;
        return CudaKernelSource.Create(name, parameters, code, [PhiloxSource.Helper, .. helpers]);
    }

    /// <summary>Launches <paramref name="kernel"/> over <paramref name="n"/> indices of the node's output, from its stream.</summary>
    public static void Launch(LoweringContext ctx, CudaKernelSource kernel, long n, params KernelArg[] extra) =>
        ctx.Launch(kernel, n, [ctx.OutputArg, KernelArg.I64(n), ctx.Control, KernelArg.U32(((RandomOp)ctx.Node.Op).Stream), .. extra]);

    /// <summary>A double literal that reads back as exactly <paramref name="value"/>.</summary>
    public static string Literal(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) switch
    {
        var s when s.Contains('.') || s.Contains('E') => s,
        var s => s + ".0",
    };

    private static string Indent(string body) =>
        string.Join('\n', body.Trim().Split('\n').Select(l => "        " + l.TrimEnd()));
}
