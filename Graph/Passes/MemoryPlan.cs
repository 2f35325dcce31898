namespace StaticGraph.Passes;

/// <summary>One buffer of the arena: the node owning it, its live interval and its place.</summary>
/// <param name="Owner">The node whose value the buffer holds (aliases such as reshape share it).</param>
/// <param name="Start">Index in the program of the first write (-1 for fed inputs).</param>
/// <param name="End">Index of the last read (the program's length when read after the run).</param>
/// <param name="Offset">Byte offset in the arena.</param>
/// <param name="Bytes">Size in bytes.</param>
public readonly record struct BufferInterval(Node Owner, int Start, int End, long Offset, long Bytes)
{
    /// <summary>True when both buffers are live at some common program index.</summary>
    public bool OverlapsInTime(BufferInterval o) => Start <= o.End && o.Start <= End;

    /// <summary>True when both buffers share some byte.</summary>
    public bool OverlapsInSpace(BufferInterval o) => Offset < o.Offset + o.Bytes && o.Offset < Offset + Bytes;
}

/// <summary>
/// The arena layout of a program: each transient value gets a byte range, live from the node that
/// writes it to its last reader; buffers live at the same time never overlap, others reuse space.
/// Every output of a multi-output node has its own buffer, live from that node's kernel.
/// Variables and constants persist across runs and live outside the arena.
/// </summary>
public sealed class MemoryPlan
{
    /// <summary>Alignment of every buffer, a cache line (and an AVX-512 vector).</summary>
    public const int Alignment = 64;

    private readonly Dictionary<Node, BufferInterval> _byOwner;
    private readonly Dictionary<Node, Node> _aliasRoot;

    private MemoryPlan(List<BufferInterval> buffers, Dictionary<Node, Node> aliasRoot)
    {
        Buffers = buffers;
        _byOwner = buffers.ToDictionary(b => b.Owner);
        _aliasRoot = aliasRoot;
        ArenaBytes = buffers.Count == 0 ? 0 : buffers.Max(b => b.Offset + b.Bytes);
    }

    /// <summary>Total arena size in bytes.</summary>
    public long ArenaBytes { get; }

    /// <summary>Every arena buffer.</summary>
    public IReadOnlyList<BufferInterval> Buffers { get; }

    /// <summary>True for nodes whose value persists outside the arena (variables and constants).</summary>
    public static bool IsPersistent(Node n) => n.Op is VariableOp or ConstantOp;

    /// <summary>The node whose storage <paramref name="n"/> shares (itself unless it is an alias).</summary>
    public Node StorageOf(Node n) => _aliasRoot.TryGetValue(n, out var r) ? r : n;

    /// <summary>The arena buffer holding <paramref name="n"/>'s value, or null when it is persistent.</summary>
    public BufferInterval? BufferOf(Node n) => _byOwner.TryGetValue(StorageOf(n), out var b) ? b : null;

    /// <summary>
    /// Plans a program's arena. <paramref name="computedBy"/> names the node whose kernel computes each node (a fused
    /// group's root for its interior members, which then get no buffer and read their inputs when the root runs).
    /// </summary>
    public static MemoryPlan Build(GraphProgram program, Func<Node, Node>? computedBy = null) =>
        Build(program, computedBy is null ? GroupComputeLayout.Unfused : new GroupComputeLayout(computedBy));

    /// <summary>
    /// Plans a program's arena for a backend that computes it as <paramref name="layout"/> says: a stored value is live
    /// from the place of the kernel that writes it to the place of the last kernel that reads it.
    /// </summary>
    public static MemoryPlan Build(GraphProgram program, IComputeLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var nodes = program.Nodes;
        var index = new Dictionary<Node, int>();
        for (var i = 0; i < nodes.Count; i++) index[nodes[i]] = i;

        // Aliases (reshape, stop_gradient) share their input's storage, transitively.
        var root = new Dictionary<Node, Node>();
        Node Root(Node n) => root.TryGetValue(n, out var r) ? r : n;
        foreach (var n in nodes)
            if (n.Op.AliasOf(program.Mode) is { } k) root[n] = Root(n.Inputs[k]);

        var start = new Dictionary<Node, int>();
        var end = new Dictionary<Node, int>();
        foreach (var n in nodes)
        {
            // A projection is written by its producer's kernel, alongside the producer's other outputs
            // (so they never share bytes), and reads nothing itself.
            if (n.Op is OutputOp)
            {
                if (layout.IsStored(n)) start[n] = index[layout.ComputedBy(n.Producer)];
                continue;
            }
            var r = Root(n);
            var at = index[layout.ComputedBy(n)];
            if (ReferenceEquals(r, n) && !IsPersistent(r) && layout.IsStored(n)) start[n] = n.Op is InputOp ? -1 : at;
            foreach (var i in layout.Reads(n))
            {
                var ri = Root(i);
                if (!IsPersistent(ri)) end[ri] = Math.Max(end.GetValueOrDefault(ri, -1), at);
            }
        }
        // Values read after the run (fetches, update sources) stay live to the end, and fed inputs
        // too: a caller may feed once and run many times.
        foreach (var n in program.Fetches.Concat(program.Updates.Select(u => u.NewValue)).Concat(program.Inputs))
        {
            var r = Root(n);
            if (!IsPersistent(r)) end[r] = nodes.Count;
        }

        var pending = start.Keys
            .Select(n => (Node: n, Start: start[n], End: Math.Max(end.GetValueOrDefault(n, start[n]), start[n]), Bytes: AlignUp(n.Type.SizeInBytes)))
            .OrderByDescending(b => b.Bytes).ThenBy(b => b.Node.Id)
            .ToList();
        var placed = new List<BufferInterval>();
        foreach (var p in pending)
        {
            var candidate = new BufferInterval(p.Node, p.Start, p.End, 0, p.Bytes);
            // Lowest offset that clears every buffer live at the same time (first fit by address).
            var conflicts = placed.Where(candidate.OverlapsInTime).OrderBy(b => b.Offset).ToList();
            long offset = 0;
            foreach (var c in conflicts)
            {
                if (offset + p.Bytes <= c.Offset) break;
                offset = Math.Max(offset, c.Offset + c.Bytes);
            }
            placed.Add(candidate with { Offset = offset });
        }
        return new MemoryPlan(placed, root);
    }

    private static long AlignUp(long bytes) => Math.Max(Alignment, (bytes + Alignment - 1) / Alignment * Alignment);
}
