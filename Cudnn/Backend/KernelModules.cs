using System.Collections.Concurrent;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>
/// Compiles a plan's kernels with NVRTC as one program (helpers are include-guarded) and caches the PTX by source and
/// architecture, so recompiling a program, or compiling its inference twin, costs nothing.
/// </summary>
internal static class KernelModules
{
    private const int InvalidOption = 5; // NVRTC_ERROR_INVALID_OPTION: an architecture this NVRTC does not know

    private static readonly ConcurrentDictionary<(string Arch, string Source), string> Ptx = new();

    /// <summary>The PTX of <paramref name="source"/> for <paramref name="arch"/>; falls back to compute_80 when this NVRTC does not know the device's architecture (the driver JIT-compiles PTX forward).</summary>
    public static string Compile(string source, string arch) =>
        Ptx.GetOrAdd((arch, source), key =>
        {
            try
            {
                return NvrtcCompiler.CompileToPtx(key.Source, "staticgraph.cu", key.Arch);
            }
            catch (NvrtcCompileException e) when (key.Arch != "compute_80" && e.Code == InvalidOption)
            {
                return NvrtcCompiler.CompileToPtx(key.Source, "staticgraph.cu", "compute_80");
            }
        });
}
