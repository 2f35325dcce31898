namespace StaticGraph.Train.Bench;

/// <summary>What one bench run holds fixed across its workloads and both sides.</summary>
/// <param name="Device"><c>cpu</c> or <c>cuda</c>: both sides run there.</param>
/// <param name="Precision">f32, or on CUDA tf32, bf16 or fp16 (both sides; the peer by TF32, autocast and GradScaler).</param>
/// <param name="Threads">CPU threads of both sides (our CPU backend's workers; PyTorch's intra-op threads).</param>
/// <param name="BatchSize">Images per step.</param>
/// <param name="Steps">Timed steps, after three untimed ones.</param>
/// <param name="Rounds">Interleaved rounds, ours then the peer; the best of each side is reported.</param>
/// <param name="Python">The interpreter with PyTorch.</param>
/// <param name="PeerScript">bench/pytorch_peer.py, or null when it was not found (the peer is then unavailable).</param>
public sealed record BenchSettings(string Device = "cpu", string Precision = "f32", int Threads = 2, int BatchSize = 128, int Steps = 20,
    int Rounds = 3, string Python = "/usr/bin/python3", string? PeerScript = null)
{
    /// <summary>Fails in one line on a setting no run can use.</summary>
    public void Validate()
    {
        if (Device is not ("cpu" or "cuda")) throw new ArgumentException($"--device must be cpu or cuda, got '{Device}'");
        if (!StaticGraph.Train.Training.DeviceChoice.Precisions.Contains(Precision))
            throw new ArgumentException($"--precision must be one of {string.Join(", ", StaticGraph.Train.Training.DeviceChoice.Precisions)}, got '{Precision}'");
        if (Device == "cpu" && Precision != "f32")
            throw new ArgumentException($"--precision {Precision} needs --device cuda; the CPU computes in f32");
        if (Threads < 0) throw new ArgumentException($"--threads must be 0 (all cores) or positive, got {Threads}");
        if (BatchSize <= 0) throw new ArgumentException($"--batch-size must be positive, got {BatchSize}");
        if (Steps <= 0) throw new ArgumentException($"--steps must be positive, got {Steps}");
        if (Rounds <= 0) throw new ArgumentException($"--rounds must be positive, got {Rounds}");
    }
}
