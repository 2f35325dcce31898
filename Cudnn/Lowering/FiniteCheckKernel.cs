using StaticGraph.Cuda.Kernels;

namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// The device half of <c>GuardUpdates</c>: before any update is applied, one launch per update source raises the control
/// block's flag word when an element is NaN or infinite. Threads only ever store 1 to the flag, so the races between them
/// are harmless and need no atomics; the host reads the flag once per run and applies the updates only when it is 0.
/// </summary>
public static class FiniteCheckKernel
{
    /// <summary>Offset of the flag (an <c>unsigned int</c>) in the arena, inside the control block.</summary>
    public const long FlagOffset = CudaPlan.ControlOffset + 16;

    /// <summary>The kernel for <paramref name="type"/>.</summary>
    public static CudaKernelSource Source(KernelType type)
    {
        var t = type.C();
        // v - v is 0 for every finite v and NaN for NaN and the infinities (no fast-math in either compiler).
        return CudaKernelSource.Create($"sg_finite_check_{type.Suffix()}",
            [KernelTypes.Pointer(type == KernelType.F32 ? DType.F32 : DType.F64, "x"), KernelTypes.Count, new("unsigned int* __restrict__", "flag")],
            $$"""
                {{KernelTypes.IndexLoop}}
                {
                    const {{t}} d = x[i] - x[i];
                    if (d != d) *flag = 1u;
                }
            """);
    }

    /// <summary>The launch that checks <paramref name="value"/> at <paramref name="address"/>.</summary>
    public static LaunchCommand Check(Node value, DeviceAddress address)
    {
        var kernel = Source(KernelTypes.Of(value.DType));
        return new LaunchCommand(value, kernel, value.Shape.ElementCount,
            [KernelArg.Pointer(address), KernelArg.I64(value.Shape.ElementCount), KernelArg.Pointer(DeviceAddress.Arena(FlagOffset))]);
    }
}
