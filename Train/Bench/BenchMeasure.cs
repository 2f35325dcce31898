namespace StaticGraph.Train.Bench;

/// <summary>What a bench line compares; every run measures speed, and with <c>--memory</c> memory too.</summary>
public enum BenchMeasure
{
    /// <summary>Training images per second (higher is better).</summary>
    Speed,

    /// <summary>
    /// Memory of the training step in MiB (lower is better): on the CPU <c>step_mib</c>, the peak resident set during the
    /// timed steps minus the resident set before the model was built, each side in a process of its own; on CUDA
    /// <c>peak_mib</c>, the device memory our executable owns against PyTorch's peak allocation.
    /// </summary>
    Memory,
}
