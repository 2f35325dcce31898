namespace StaticGraph.Backend;

/// <summary>
/// The check every backend's <see cref="IBackend.Compile"/> makes first: each value of the program has a dtype the
/// backend computes. Without it a program of another dtype (f16 on the CPU) would compile and fail later, at a feed or
/// deep in a kernel, with a message that names neither the node nor the reason.
/// </summary>
public static class DTypeSupport
{
    /// <summary>
    /// Throws a <see cref="NotSupportedException"/> naming the first node of <paramref name="program"/> (its listing line,
    /// hence its op) whose dtype <paramref name="backend"/> does not compute, and the dtypes it does.
    /// </summary>
    public static void RequireSupported(this IBackend backend, GraphProgram program)
    {
        ArgumentNullException.ThrowIfNull(backend);
        Require(program, backend.Name, backend.SupportedDTypes);
    }

    /// <summary>The same check for a backend's planner, which knows its dtypes before any backend object exists.</summary>
    public static void Require(GraphProgram program, string backendName, IReadOnlySet<DType> supported)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(supported);
        foreach (var n in program.Nodes)
        {
            if (!supported.Contains(n.DType))
                throw new NotSupportedException($"{GraphPrinter.Line(n)}: the {backendName} backend computes {Describe(supported)}, not {n.DType.ShortName()}");
        }
    }

    /// <summary>"f32, f64 and i32": the dtypes in declaration order.</summary>
    public static string Describe(IEnumerable<DType> dtypes)
    {
        var names = dtypes.Order().Select(d => d.ShortName()).ToArray();
        return names.Length <= 1 ? string.Concat(names) : string.Join(", ", names[..^1]) + " and " + names[^1];
    }
}
