using StaticGraph.Distributed;

namespace StaticGraph.Backend;

/// <summary>
/// The check every backend's <see cref="IBackend.Compile"/> makes for a data-parallel program: its <c>all_reduce</c> nodes
/// need a communicator of the world size they were built for. A program built for N ranks and compiled for one process
/// would otherwise train on 1/N of each batch and call it the whole, silently.
/// </summary>
public static class Collectives
{
    /// <summary>
    /// Throws a <see cref="NotSupportedException"/> naming the first <c>all_reduce</c> node of <paramref name="program"/> when
    /// <paramref name="options"/> carry no communicator, or one of another size. Returns the communicator (null when the
    /// program reduces nothing).
    /// </summary>
    public static ICommunicator? Require(GraphProgram program, CompileOptions options, string backendName)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(options);
        foreach (var n in program.Nodes)
        {
            if (n.Op is not AllReduceOp op) continue;
            if (options.Communicator is not { } c)
                throw new NotSupportedException(
                    $"{GraphPrinter.Line(n)}: the program averages over {op.World} ranks, but the {backendName} backend was compiled without a communicator (CompileOptions.Communicator): launch it with mpirun -np {op.World}, or build the program without DataParallel");
            if (c.Size != op.World)
                throw new NotSupportedException(
                    $"{GraphPrinter.Line(n)}: the program was built for {op.World} ranks, but the {backendName} backend's communicator ({c.Transport}) has {c.Size}");
        }
        return options.Communicator;
    }
}
