using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StaticGraph.Distributed;

namespace StaticGraph.Train.Training;

/// <summary>
/// What every rank of a data-parallel run must share: the training program (its listing names every node, shape and
/// attribute, so another model, batch or regularizer changes it), the options that shape the run but not the graph
/// (seed, epochs, schedule, data set) and the backend it resolved to (<c>--device auto</c> could give a GPU on one machine
/// and the CPU on another, which reduce through different transports). Ranks started with different programs would
/// reduce mismatched buffers into nonsense, or wait forever; comparing a hash of all three at start, before anything is
/// compiled, refuses that with a line naming the rank.
/// </summary>
public static class ProgramIdentity
{
    /// <summary>
    /// SHA-256 of the listing of <paramref name="program"/>, of <paramref name="options"/> and of the backend's name, leaving
    /// out what may differ per rank without changing the run: the output folder (rank 0 alone writes), the CPU threads
    /// (results do not depend on them) and the data folder (a machine's own path).
    /// </summary>
    public static byte[] Hash(GraphProgram program, TrainOptions options, string backend)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(options);
        var shared = options with { OutDir = "", Threads = 0, DataDir = null };
        var text = GraphPrinter.Listing(program) + "\n" + JsonSerializer.Serialize(shared) + "\nbackend " + backend;
        return SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>
    /// Gathers every rank's hash and throws the same <see cref="CollectiveException"/> on every rank when one differs from
    /// rank 0's, naming the first such rank.
    /// </summary>
    public static void RequireSame(ICommunicator world, GraphProgram program, TrainOptions options, string backend)
    {
        ArgumentNullException.ThrowIfNull(world);
        if (world.Size == 1) return;
        var hashes = world.AllGather(Hash(program, options, backend));
        for (var r = 1; r < hashes.Length; r++)
        {
            if (hashes[r].AsSpan().SequenceEqual(hashes[0])) continue;
            throw new CollectiveException(
                $"rank {r} runs another program than rank 0 (hash {Convert.ToHexStringLower(hashes[r])[..12]} against {Convert.ToHexStringLower(hashes[0])[..12]}): every rank must be started with the same model and options");
        }
    }
}
