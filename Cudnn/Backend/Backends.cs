using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;

namespace StaticGraph.Cuda.Backend;

/// <summary>The backend a program should run on when the caller has no preference.</summary>
public static class Backends
{
    /// <summary>CUDA (deterministic, TF32 off) when a GPU and its libraries are usable here, else the CPU backend.</summary>
    public static IBackend Default => CudaBackend.Unavailable() is null ? CudaBackend.Default : CpuBackend.Instance;
}
