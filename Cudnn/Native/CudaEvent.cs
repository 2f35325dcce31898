using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary><c>CUevent_flags</c> (values from <c>cuda.h</c>).</summary>
[Flags]
public enum CudaEventFlags : uint
{
    /// <summary><c>CU_EVENT_DEFAULT</c>: timing enabled, spin-wait synchronisation.</summary>
    Default = 0x0,

    /// <summary><c>CU_EVENT_BLOCKING_SYNC</c>: <see cref="CudaEvent.Synchronize"/> blocks the thread instead of spinning.</summary>
    BlockingSync = 0x1,

    /// <summary><c>CU_EVENT_DISABLE_TIMING</c>: no timing data (cheapest; for ordering only).</summary>
    DisableTiming = 0x2,
}

/// <summary>A CUDA event (<c>CUevent</c>), for timing and ordering; released with <c>cuEventDestroy_v2</c>.</summary>
public sealed class CudaEvent : SafeHandle
{
    private CudaEvent() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>Creates an event in the current context.</summary>
    public static CudaEvent Create(CudaEventFlags flags = CudaEventFlags.Default)
    {
        CudaDriver.Check(CudaDriverNative.cuEventCreate(out var raw, (uint)flags), "cuEventCreate");
        var created = new CudaEvent();
        created.SetHandle(raw);
        return created;
    }

    /// <summary>Records the event on <paramref name="stream"/>: it completes when the work queued before it does.</summary>
    public void Record(CudaStream stream) =>
        CudaDriver.Check(CudaDriverNative.cuEventRecord(DangerousGetHandle(), stream.DangerousGetHandle()), "cuEventRecord");

    /// <summary>Waits on the host until the event has completed.</summary>
    public void Synchronize() => CudaDriver.Check(CudaDriverNative.cuEventSynchronize(DangerousGetHandle()), "cuEventSynchronize");

    /// <summary>Milliseconds between <paramref name="start"/> and <paramref name="end"/> (both recorded and completed, timing enabled).</summary>
    public static float ElapsedMilliseconds(CudaEvent start, CudaEvent end)
    {
        CudaDriver.Check(CudaDriverNative.cuEventElapsedTime(out var milliseconds, start.DangerousGetHandle(), end.DangerousGetHandle()),
            "cuEventElapsedTime");
        return milliseconds;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudaDriverNative.cuEventDestroy(handle) == 0;
}
