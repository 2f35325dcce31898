namespace StaticGraph;

/// <summary>
/// Reverse-mode differentiation as a graph transformation: walks the graph from a scalar loss
/// backwards and asks each op for its gradient rule, which appends ordinary nodes to the same
/// builder. The backward pass is therefore lowered, planned and run like the forward pass. A
/// multi-output op's rule receives the gradients of all its outputs at once.
/// </summary>
public static class Autodiff
{
    /// <summary>
    /// The gradient of the scalar <paramref name="loss"/> with respect to each node of
    /// <paramref name="wrt"/>; nodes the loss does not depend on get no entry.
    /// </summary>
    public static IReadOnlyDictionary<Node, Node> Gradients(Node loss, IReadOnlyList<Node> wrt)
    {
        if (loss.Shape.Rank != 0 || !loss.DType.IsFloat())
            throw new GraphBuildException($"autodiff needs a floating-point scalar loss, got {loss}: {loss.Type}");
        var b = loss.Owner;
        var requiresGrad = RequiresGradient(loss, wrt);
        var grads = new Dictionary<Node, Node> { [loss] = b.Scalar(1, loss.DType) };

        // Node ids are a topological order, so descending ids visit every consumer before its inputs,
        // and every projection of a multi-output node (created right after it) before the node.
        for (var id = loss.Id; id >= 0; id--)
        {
            var node = b.Nodes[id];
            // A projection's gradient waits for its producer, whose rule gets the gradients of all its outputs.
            if (node.Inputs.Count == 0 || node.Op is OutputOp) continue;
            var outputGrads = new Node?[node.Outputs.Count];
            var any = false;
            for (var o = 0; o < outputGrads.Length; o++)
            {
                outputGrads[o] = grads.GetValueOrDefault(node.Outputs[o]);
                any |= outputGrads[o] is not null;
            }
            if (!any) continue;
            var inputGrads = node.Op.Gradient(b, node, outputGrads);
            for (var i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                if (inputGrads[i] is not { } g || !requiresGrad.Contains(input)) continue;
                if (g.Type != input.Type)
                    throw new InvalidOperationException($"gradient rule of {node.Op.Name} gave {g.Type} for input {input}: {input.Type}");
                grads[input] = grads.TryGetValue(input, out var acc) ? b.Add(acc, g) : g;
            }
        }
        var result = new Dictionary<Node, Node>();
        foreach (var w in wrt)
            if (grads.TryGetValue(w, out var g)) result[w] = g;
        return result;
    }

    /// <summary>
    /// A training program: forward, backward, the optimizer's update of every trainable parameter
    /// the loss depends on, and the builder's state updates (BN running statistics).
    /// </summary>
    public static GraphProgram Train(Node loss, IOptimizer optimizer, Schedule schedule, params Node[] fetches) =>
        Train(loss, optimizer, schedule, null, fetches);

    /// <summary>
    /// A training program as <see cref="Train(Node, IOptimizer, Schedule, Node[])"/>, for one rank of a data-parallel run
    /// when <paramref name="parallel"/> says more than one: the gradients, and the new values of the state updates, are
    /// replaced by their mean over the ranks (<see cref="DataParallel.Mean"/>) before the optimizer uses them.
    /// </summary>
    public static GraphProgram Train(Node loss, IOptimizer optimizer, Schedule schedule, DataParallel? parallel, params Node[] fetches)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        var b = loss.Owner;
        var parameters = b.Nodes.Where(n => n.Op is VariableOp { Kind: VariableKind.Parameter } && n.Id < loss.Id).ToList();
        var grads = Gradients(loss, parameters);
        var trained = parameters.Where(grads.ContainsKey).ToList();
        var gradients = trained.Select(p => grads[p]).ToList();
        var states = b.StateUpdates.ToList();
        if (parallel is { World: > 1 })
        {
            var means = parallel.Mean(b, [.. gradients, .. states.Select(u => u.NewValue)]);
            gradients = [.. means.Take(gradients.Count)];
            states = [.. states.Select((u, i) => u with { NewValue = means[gradients.Count + i] })];
        }
        var lr = b.Input(GraphProgram.LearningRateInputName, b.FloatType);
        var updates = new List<StateUpdate>(states);
        for (var i = 0; i < trained.Count; i++) updates.AddRange(optimizer.Update(b, trained[i], gradients[i], lr));
        return GraphProgram.Create(ProgramMode.Training, [loss, .. fetches], updates, schedule, lr);
    }

    /// <summary>Nodes on a path from some node of <paramref name="wrt"/> to <paramref name="loss"/>.</summary>
    private static HashSet<Node> RequiresGradient(Node loss, IReadOnlyList<Node> wrt)
    {
        var b = loss.Owner;
        var set = new HashSet<Node>(wrt);
        for (var id = 0; id <= loss.Id; id++)
        {
            var n = b.Nodes[id];
            if (n.Op is StopGradientOp) continue;
            foreach (var i in n.Inputs)
            {
                if (set.Contains(i))
                {
                    set.Add(n);
                    break;
                }
            }
        }
        return set;
    }
}
