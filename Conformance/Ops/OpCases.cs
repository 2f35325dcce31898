namespace StaticGraph.Conformance.Ops;

/// <summary>
/// Every op case of the kit, by family. A new op adds its case to its family's list (or a new family here); a test fails
/// while an op class of the library has no case (<see cref="Uncovered"/>).
/// </summary>
public static class OpCases
{
    private static readonly Lazy<IReadOnlyList<OpCase>> Cases = new(() =>
    [
        .. SourceCases.All(), .. ElementwiseCases.All(), .. ReduceCases.All(), .. ShapeCases.All(), .. ControlCases.All(),
        .. MatrixCases.All(), .. ConvolutionCases.All(), .. PoolingCases.All(), .. NormalizationCases.All(), .. ImageCases.All(),
        .. RandomCases.All(), .. OptimizerCases.All(),
    ]);

    /// <summary>
    /// Ops a case of one executable cannot check, with where they are checked: a collective needs several executables
    /// running at once, one per rank.
    /// </summary>
    public static IReadOnlyDictionary<Type, string> CheckedElsewhere { get; } = new Dictionary<Type, string>
    {
        [typeof(AllReduceOp)] = "a collective over ranks: Tests/Distributed (in-process ranks against one process averaging the slices, "
            + "mpirun -np 2), PropertyTests/DataParallelProperties (f64, 1e-10) and Tests/Cuda/DataParallelLoweringTests (two emulated GPUs)",
    };

    /// <summary>Every op case, in family order.</summary>
    public static IReadOnlyList<OpCase> All => Cases.Value;

    /// <summary>The cases whose reference gradient the checker verifies: differentiable, and small enough to perturb element by element.</summary>
    public static IEnumerable<OpCase> WithGradients => All.Where(c => c.HasGradient && c.Inputs.Sum(i => i.Shape.Aggregate(1L, (a, d) => a * d)) <= MaxGradientElements);

    /// <summary>
    /// The most input elements a gradient case perturbs: larger cases exist for the backends' chunked paths (two-pass
    /// reductions, many-chunk statistics), and their gradient rule is the one the small variants verify.
    /// </summary>
    public const long MaxGradientElements = 2000;

    /// <summary>The op case named <paramref name="name"/>.</summary>
    public static OpCase Get(string name) => All.SingleOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"no op case is named '{name}'");

    /// <summary>
    /// The concrete op classes of <paramref name="assemblies"/> (the library's: Graph and Regularizers) that no case tests,
    /// and the unary and binary functions no case applies. Empty when the kit covers every op.
    /// </summary>
    public static IReadOnlyList<string> Uncovered(IEnumerable<System.Reflection.Assembly> assemblies)
    {
        var tested = All.Select(c => c.Op).ToHashSet();
        tested.UnionWith(CheckedElsewhere.Keys);
        // A further output of a multi-output op is a projection node: every multi-output case (batch norm's) runs them.
        tested.Add(typeof(OutputOp));
        var missing = assemblies.SelectMany(a => a.GetTypes())
            .Where(t => typeof(Op).IsAssignableFrom(t) && !t.IsAbstract && !tested.Contains(t))
            .Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        var names = All.Select(c => c.Name.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        missing.AddRange(Enum.GetValues<UnaryFunction>().Select(f => new UnaryOp(f).Name).Where(n => !names.Contains(n)).Select(n => $"UnaryOp {n}"));
        missing.AddRange(Enum.GetValues<BinaryFunction>().Select(f => new BinaryOp(f).Name).Where(n => !names.Contains(n)).Select(n => $"BinaryOp {n}"));
        return missing;
    }
}
