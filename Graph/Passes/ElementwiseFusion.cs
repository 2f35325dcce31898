namespace StaticGraph.Passes;

/// <summary>
/// A chain of elementwise nodes computed by one kernel: every member has the root's shape, and every member but the root is
/// read only inside the group, so only the root's value is ever written to memory.
/// </summary>
/// <param name="Root">The member whose value leaves the group.</param>
/// <param name="Members">Every member in program order; the root is last.</param>
/// <param name="ExternalInputs">The distinct values the group reads from memory, in first-use order.</param>
public sealed record FusedGroup(Node Root, IReadOnlyList<Node> Members, IReadOnlyList<Node> ExternalInputs);

/// <summary>
/// Groups elementwise nodes into chains that one kernel can compute (the fusion pass of the pipeline). The backend says
/// which nodes it can compute elementwise; the pass only decides grouping, so it is the same for every backend.
/// </summary>
public sealed class ElementwiseFusion
{
    private readonly Dictionary<Node, FusedGroup> _groupOf;

    private ElementwiseFusion(IReadOnlyList<FusedGroup> groups)
    {
        Groups = groups;
        _groupOf = [];
        foreach (var g in groups)
            foreach (var m in g.Members) _groupOf[m] = g;
    }

    /// <summary>Every group, in the program order of their roots (single nodes are groups of one).</summary>
    public IReadOnlyList<FusedGroup> Groups { get; }

    /// <summary>The group <paramref name="n"/> belongs to, or null when it is not elementwise.</summary>
    public FusedGroup? GroupOf(Node n) => _groupOf.GetValueOrDefault(n);

    /// <summary>True when <paramref name="n"/> is computed inside another node's kernel and has no memory of its own.</summary>
    public bool IsInterior(Node n) => _groupOf.TryGetValue(n, out var g) && !ReferenceEquals(g.Root, n);

    /// <summary>The node whose kernel computes <paramref name="n"/>: its group's root, or itself.</summary>
    public Node ComputedBy(Node n) => _groupOf.TryGetValue(n, out var g) ? g.Root : n;

    /// <summary>
    /// Groups the nodes of <paramref name="program"/> for which <paramref name="isElementwise"/> holds. A node joins the
    /// group of its consumers when all of its users are in that group, it has the group's shape, and its value is not needed
    /// on its own (fetched, an update's source, a fed input, or read through an alias).
    /// </summary>
    public static ElementwiseFusion Build(GraphProgram program, Func<Node, bool> isElementwise)
    {
        var nodes = program.Nodes;
        var index = new Dictionary<Node, int>();
        for (var i = 0; i < nodes.Count; i++) index[nodes[i]] = i;
        var users = nodes.ToDictionary(n => n, _ => new List<Node>());
        // Inputs outside the program are the branches a mode_select pruned: they have no users to count.
        foreach (var n in nodes)
            foreach (var i in n.Inputs.Distinct())
                if (users.TryGetValue(i, out var list)) list.Add(n);

        var needed = new HashSet<Node>(program.Fetches.Concat(program.Updates.Select(u => u.NewValue)).Concat(program.Inputs));
        foreach (var n in nodes)
            if (n.Op.AliasOf(program.Mode) is not null) needed.UnionWith(n.Inputs);
        // A multi-output node writes several buffers, which a fused kernel (one root value) cannot.
        bool Fusible(Node n) => n.Op.AliasOf(program.Mode) is null && n.Op is not (InputOp or VariableOp or ConstantOp or OutputOp)
            && n.Outputs.Count == 1 && isElementwise(n);

        var assigned = new HashSet<Node>();
        var groups = new List<FusedGroup>();
        for (var r = nodes.Count - 1; r >= 0; r--)
        {
            var root = nodes[r];
            if (assigned.Contains(root) || !Fusible(root)) continue;
            var members = new HashSet<Node> { root };
            var work = new Stack<Node>();
            work.Push(root);
            while (work.Count > 0)
            {
                foreach (var m in work.Pop().Inputs)
                {
                    if (members.Contains(m) || assigned.Contains(m) || needed.Contains(m) || !Fusible(m)) continue;
                    if (m.Shape != root.Shape || !users[m].All(members.Contains)) continue;
                    members.Add(m);
                    work.Push(m);
                }
            }
            assigned.UnionWith(members);
            var ordered = members.OrderBy(m => index[m]).ToList();
            var external = ordered.SelectMany(m => m.Inputs).Where(i => !members.Contains(i)).Distinct().ToList();
            groups.Add(new FusedGroup(root, ordered, external));
        }
        groups.Reverse();
        return new ElementwiseFusion(groups);
    }
}
