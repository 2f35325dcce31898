using StaticGraph.Passes;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// What the CPU backend fuses: patterns in the graph, found in any model, never in a trainer.
/// <list type="bullet">
/// <item><c>relu(batch_norm(x))</c>, when nothing else reads the normalised value: the batch-norm kernel writes the ReLU's
/// value, and the normalised value is never stored.</item>
/// <item>Readers of that ReLU which can take it row by row (<see cref="CpuRowSource"/>: a convolution's or a filter
/// gradient's input, the mask of a recomputed relu_backward) recompute it from x and the statistics instead. Where every
/// reader can, it is never stored (the batch-norm kernel only takes the statistics); where some cannot, it is stored
/// only until the last of those, and later readers recompute it, so it does not stay alive into the backward pass.</item>
/// <item><c>relu_backward(mask, g)</c> read only as the dy of a <c>batch_norm_backward</c>: that kernel recomputes it
/// row by row, so the masked gradient is never stored and takes no pass of its own.</item>
/// </list>
/// A recomputed row is bitwise the stored value (the same operations in the same order), so fusion changes memory and
/// time, never a result. The plan is also the executable's <see cref="IComputeLayout"/> for <see cref="MemoryPlan"/>.
/// </summary>
internal sealed class CpuFusionPlan : IComputeLayout
{
    private readonly Dictionary<Node, Node> _computedBy = [];
    private readonly HashSet<Node> _notStored = [];
    private readonly HashSet<(Node Reader, int Input)> _rowReads = [];
    private readonly Dictionary<Node, List<Node>> _fusedInto = [];
    private readonly Dictionary<Node, Node> _reluOfBatchNorm = [];

    private CpuFusionPlan()
    {
    }

    /// <summary>Every node computed by its own kernel, stored, read where it is stored.</summary>
    public static CpuFusionPlan None { get; } = new();

    /// <summary>Finds the patterns in <paramref name="program"/>.</summary>
    public static CpuFusionPlan Build(GraphProgram program)
    {
        var plan = new CpuFusionPlan();
        var nodes = program.Nodes;
        var index = new Dictionary<Node, int>();
        for (var i = 0; i < nodes.Count; i++) index[nodes[i]] = i;
        // A projection names its producer as its input but reads nothing: it is not a reader of output 0.
        var users = nodes.ToDictionary(n => n, _ => new List<(Node User, int Input)>());
        foreach (var n in nodes.Where(n => n.Op is not OutputOp))
            for (var k = 0; k < n.Inputs.Count; k++)
                if (users.TryGetValue(n.Inputs[k], out var list)) list.Add((n, k));
        // Values needed as stored bytes: read after the run, fed, or shared by an alias (whose readers read the bytes).
        var needed = new HashSet<Node>(program.Fetches.Concat(program.Updates.Select(u => u.NewValue)).Concat(program.Inputs));
        foreach (var n in nodes)
            if (n.Op.AliasOf(program.Mode) is not null) needed.UnionWith(n.Inputs);

        // The batch-norm gradients whose dy is a masked gradient read by nothing else.
        var maskedGradients = new HashSet<Node>();
        foreach (var d in nodes)
        {
            if (d.Op is not BinaryOp { Function: BinaryFunction.ReluBackward } || needed.Contains(d)) continue;
            if (users[d] is not [{ User: { Op: BatchNormBackwardOp } bb, Input: 2 }] || d.Inputs[0] == d.Inputs[1]) continue;
            if (d.Inputs[0].Shape != d.Shape || d.Inputs[1].Shape != d.Shape || d.Shape.Rank < 2) continue;
            maskedGradients.Add(d);
            plan._computedBy[d] = bb;
            plan._notStored.Add(d);
            plan._rowReads.Add((bb, 2));
        }

        foreach (var bn in nodes)
        {
            if (bn.Op is not BatchNormOp || needed.Contains(bn)) continue;
            if (users[bn] is not [{ User: { Op: UnaryOp { Function: UnaryFunction.Relu } } relu }]) continue;
            plan._reluOfBatchNorm[relu] = bn;
            plan._computedBy[relu] = bn;
            plan._notStored.Add(bn);
            plan._fusedInto[bn] = [relu];

            // Readers that cannot take rows read the stored value; those after the last of them recompute it.
            var lastPlain = needed.Contains(relu) ? nodes.Count : -1;
            var capable = new List<(Node User, int Input)>();
            foreach (var (user, k) in users[relu])
            {
                var rows = user.Inputs.Count(i => i == relu) == 1 && (
                    (user.Op is Conv2dOp && k == 0) || (user.Op is Conv2dBackwardFilterOp && k == 0) || (maskedGradients.Contains(user) && k == 0));
                if (rows) capable.Add((user, k));
                else lastPlain = Math.Max(lastPlain, index[plan.ComputedBy(user)]);
            }
            foreach (var (user, k) in capable)
                if (index[plan.ComputedBy(user)] > lastPlain) plan._rowReads.Add((user, k));
            if (lastPlain < 0) plan._notStored.Add(relu);
        }
        return plan;
    }

    /// <inheritdoc/>
    public Node ComputedBy(Node n) => _computedBy.GetValueOrDefault(n, n);

    /// <inheritdoc/>
    public bool IsStored(Node n) => !_notStored.Contains(n);

    /// <summary>Whether <paramref name="reader"/> recomputes its input <paramref name="input"/> row by row rather than reading it.</summary>
    public bool ReadsRows(Node reader, int input) => _rowReads.Contains((reader, input));

    /// <summary>The nodes <paramref name="n"/>'s kernel computes besides its own outputs (a ReLU fused into batch norm).</summary>
    public IReadOnlyList<Node> FusedInto(Node n) => _fusedInto.TryGetValue(n, out var list) ? list : [];

    /// <summary>The batch norm whose ReLU <paramref name="relu"/> is, when it is fused into it.</summary>
    public Node? BatchNormOf(Node relu) => _reluOfBatchNorm.GetValueOrDefault(relu);

    /// <inheritdoc/>
    public IReadOnlyList<Node> Reads(Node n)
    {
        if (!n.Inputs.Where((_, k) => ReadsRows(n, k)).Any()) return n.Inputs;
        var reads = new List<Node>();
        for (var k = 0; k < n.Inputs.Count; k++)
        {
            if (ReadsRows(n, k)) reads.AddRange(RowInputs(n.Inputs[k]));
            else reads.Add(n.Inputs[k]);
        }
        return reads;
    }

    /// <summary>What the rows of a recomputed value are computed from.</summary>
    private IEnumerable<Node> RowInputs(Node v) =>
        BatchNormOf(v) is { } bn
            ? [bn.Inputs[0], bn.Inputs[1], bn.Inputs[2], bn.Outputs[1], bn.Outputs[2]]
            : Reads(v); // a masked gradient: its mask (or what the mask is recomputed from) and g
}
