using System.Collections.Concurrent;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>
/// Compiles a plan's kernels with NVRTC as one program (helpers are include-guarded) for the device's
/// <see cref="KernelTarget"/> and caches the image by source and target, so recompiling a program, or compiling its
/// inference twin, costs nothing.
/// </summary>
internal static class KernelModules
{
    private static readonly ConcurrentDictionary<(string Target, string Source), KernelImage> Images = new();

    /// <summary>The image of <paramref name="source"/> for <paramref name="target"/>.</summary>
    public static KernelImage Compile(string source, KernelTarget target) =>
        Images.GetOrAdd((target.Architecture, source), key => NvrtcCompiler.Compile(key.Source, "staticgraph.cu", key.Target));

    /// <summary>Compiles and loads <paramref name="source"/> into <paramref name="runtime"/>'s context.</summary>
    public static CudaModule Load(string source, CudaRuntime runtime) => CudaModule.Load(Compile(source, runtime.KernelTarget));
}
