namespace StaticGraph;

/// <summary>
/// A static program ready for a backend: the nodes needed for its fetches and updates, pruned
/// and in topological order, its inputs and variables, and the mode they run in. Training and
/// inference programs built from one builder share variables by name.
/// </summary>
public sealed class GraphProgram
{
    /// <summary>The name of the scalar learning-rate input a training program is fed each step.</summary>
    public const string LearningRateInputName = "lr";

    private GraphProgram(ProgramMode mode, Node[] nodes, Node[] fetches, StateUpdate[] updates, Schedule? schedule, Node? lr)
    {
        Mode = mode;
        Nodes = nodes;
        Fetches = fetches;
        Updates = updates;
        Schedule = schedule;
        LearningRate = lr;
        Inputs = nodes.Where(n => n.Op is InputOp).ToArray();
        Variables = nodes.Where(n => n.Op is VariableOp).ToArray();
    }

    /// <summary>Training or inference.</summary>
    public ProgramMode Mode { get; }

    /// <summary>Every node the program evaluates, in topological order.</summary>
    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>Values the caller reads after a run (the loss first, for training programs).</summary>
    public IReadOnlyList<Node> Fetches { get; }

    /// <summary>Assignments applied at the end of each run.</summary>
    public IReadOnlyList<StateUpdate> Updates { get; }

    /// <summary>Values fed by the caller (and the learning rate, fed from <see cref="Schedule"/>).</summary>
    public IReadOnlyList<Node> Inputs { get; }

    /// <summary>Parameters and state the program reads.</summary>
    public IReadOnlyList<Node> Variables { get; }

    /// <summary>The learning-rate schedule of a training program.</summary>
    public Schedule? Schedule { get; }

    /// <summary>The learning-rate input of a training program.</summary>
    public Node? LearningRate { get; }

    /// <summary>The loss of a training program (its first fetch).</summary>
    public Node? Loss => Mode == ProgramMode.Training ? Fetches[0] : null;

    /// <summary>An inference program computing <paramref name="outputs"/>.</summary>
    public static GraphProgram Inference(params Node[] outputs) => Create(ProgramMode.Inference, outputs, [], null, null);

    /// <summary>
    /// A program of the given mode; prunes everything the fetches and updates do not need, but keeps
    /// every output of a multi-output node it keeps.
    /// </summary>
    public static GraphProgram Create(ProgramMode mode, IReadOnlyList<Node> fetches, IReadOnlyList<StateUpdate> updates, Schedule? schedule, Node? lr)
    {
        if (fetches.Count == 0 && updates.Count == 0) throw new GraphBuildException("a program needs at least one fetch or update");
        var owner = (fetches.Count > 0 ? fetches[0] : updates[0].Variable).Owner;
        var needed = new bool[owner.Nodes.Count];
        var stack = new Stack<Node>(fetches.Concat(updates.SelectMany(u => new[] { u.Variable, u.NewValue })));
        if (lr is not null) stack.Push(lr);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (!ReferenceEquals(n.Owner, owner)) throw new GraphBuildException($"{n} belongs to another GraphBuilder than the program's other nodes");
            if (needed[n.Id]) continue;
            needed[n.Id] = true;
            if (n.Op.AliasOf(mode) is { } k) stack.Push(n.Inputs[k]);
            else foreach (var i in n.Inputs) stack.Push(i);
            // A kernel writes all its outputs, so a kept producer keeps every projection (which keeps the producer).
            foreach (var o in n.Outputs) stack.Push(o);
        }
        var nodes = owner.Nodes.Where(n => needed[n.Id]).ToArray();
        return new GraphProgram(mode, nodes, [.. fetches], [.. updates], schedule, lr);
    }

    /// <summary>The readable listing, one line per node.</summary>
    public override string ToString() => GraphPrinter.Listing(this);
}
