using StaticGraph.Cuda.Kernels;

namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// A state update (new value copied into its variable) that applies itself only when the step may be applied: not when
/// the update guard is on and a guard launch found a NaN or infinity, and not when an FP16 conversion overflowed. The
/// decision is read from the control block on the device, so the whole step (compute, guards, updates) is one CUDA graph
/// with no host round trip in the middle; the host reads the same flags afterwards to throw or rescale.
/// </summary>
public static class GuardedUpdateKernel
{
    /// <summary>Offset of the word that says whether the guard is on (u32, written by the host before every run).</summary>
    public const long GuardEnabledOffset = CudaPlan.ControlOffset + 20;

    /// <summary>The copy kernel: 32-bit words, since every dtype's size is a multiple of four bytes.</summary>
    public static CudaKernelSource Source { get; } = CudaKernelSource.Create("sg_guarded_update",
        [new("const unsigned int* __restrict__", "from"), new("unsigned int* __restrict__", "to"), KernelTypes.Count,
            new("const unsigned int* __restrict__", "control")],
        $$"""
            const int tripped = control[{{FiniteCheckKernel.FlagOffset / 4}}] != 0u && control[{{GuardEnabledOffset / 4}}] != 0u;
            const int overflowed = control[{{CudaPlan.OverflowFlagOffset / 4}}] != 0u;
            if (tripped || overflowed) return;
            {{KernelTypes.IndexLoop}}
                to[i] = from[i];
        """);

    /// <summary>The launch that writes <paramref name="value"/> (at <paramref name="from"/>) into the variable at <paramref name="to"/>.</summary>
    public static LaunchCommand Update(Node value, DeviceAddress from, DeviceAddress to)
    {
        var words = value.Type.SizeInBytes / 4;
        return new LaunchCommand(value, Source, words,
            [KernelArg.Pointer(from), KernelArg.Pointer(to), KernelArg.I64(words), KernelArg.Pointer(DeviceAddress.Arena(CudaPlan.ControlOffset))]);
    }
}
