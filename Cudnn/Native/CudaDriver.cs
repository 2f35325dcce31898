using System.Runtime.InteropServices;
using System.Text;

namespace StaticGraph.Cuda.Native;

/// <summary>Raw driver API entry points (the versioned symbols that <c>cuda.h</c> maps the plain names to). Every call returns a <c>CUresult</c>.</summary>
internal static unsafe partial class CudaDriverNative
{
    private const string Lib = NativeLibraryResolver.Driver;

    static CudaDriverNative() => NativeLibraryResolver.EnsureRegistered();

    [LibraryImport(Lib, EntryPoint = "cuInit")] internal static partial int cuInit(uint flags);
    [LibraryImport(Lib, EntryPoint = "cuGetErrorString")] internal static partial int cuGetErrorString(int error, out nint text);
    [LibraryImport(Lib, EntryPoint = "cuGetErrorName")] internal static partial int cuGetErrorName(int error, out nint text);
    [LibraryImport(Lib, EntryPoint = "cuDriverGetVersion")] internal static partial int cuDriverGetVersion(out int version);
    [LibraryImport(Lib, EntryPoint = "cuDeviceGetCount")] internal static partial int cuDeviceGetCount(out int count);
    [LibraryImport(Lib, EntryPoint = "cuDeviceGet")] internal static partial int cuDeviceGet(out int device, int ordinal);
    [LibraryImport(Lib, EntryPoint = "cuDeviceGetName")] internal static partial int cuDeviceGetName(byte* name, int length, int device);
    [LibraryImport(Lib, EntryPoint = "cuDevicePrimaryCtxRetain")] internal static partial int cuDevicePrimaryCtxRetain(out nint context, int device);
    [LibraryImport(Lib, EntryPoint = "cuDevicePrimaryCtxRelease_v2")] internal static partial int cuDevicePrimaryCtxRelease(int device);
    [LibraryImport(Lib, EntryPoint = "cuCtxSetCurrent")] internal static partial int cuCtxSetCurrent(nint context);
    [LibraryImport(Lib, EntryPoint = "cuMemAlloc_v2")] internal static partial int cuMemAlloc(out ulong pointer, nuint bytes);
    [LibraryImport(Lib, EntryPoint = "cuMemFree_v2")] internal static partial int cuMemFree(ulong pointer);
    [LibraryImport(Lib, EntryPoint = "cuMemcpyHtoD_v2")] internal static partial int cuMemcpyHtoD(ulong destination, void* source, nuint bytes);
    [LibraryImport(Lib, EntryPoint = "cuMemcpyDtoH_v2")] internal static partial int cuMemcpyDtoH(void* destination, ulong source, nuint bytes);
    [LibraryImport(Lib, EntryPoint = "cuStreamCreate")] internal static partial int cuStreamCreate(out nint stream, uint flags);
    [LibraryImport(Lib, EntryPoint = "cuStreamSynchronize")] internal static partial int cuStreamSynchronize(nint stream);
    [LibraryImport(Lib, EntryPoint = "cuStreamDestroy_v2")] internal static partial int cuStreamDestroy(nint stream);
    [LibraryImport(Lib, EntryPoint = "cuModuleLoadData")] internal static partial int cuModuleLoadData(out nint module, void* image);
    [LibraryImport(Lib, EntryPoint = "cuModuleUnload")] internal static partial int cuModuleUnload(nint module);
    [LibraryImport(Lib, EntryPoint = "cuModuleGetFunction")] internal static partial int cuModuleGetFunction(out nint function, nint module, byte* name);

    [LibraryImport(Lib, EntryPoint = "cuLaunchKernel")]
    internal static partial int cuLaunchKernel(nint function, uint gridX, uint gridY, uint gridZ, uint blockX, uint blockY, uint blockZ,
        uint sharedBytes, nint stream, void** parameters, void** extra);

    // Prototypes below are those of cuda.h / cudaTypedefs.h (CUDA 12.6); the symbol is the one cuda.h's #define list maps the
    // plain name to (cuMemcpyHtoDAsync -> cuMemcpyHtoDAsync_v2, cuMemAllocHost -> cuMemAllocHost_v2, cuMemGetInfo -> cuMemGetInfo_v2,
    // cuEventDestroy -> cuEventDestroy_v2, cuStreamBeginCapture -> cuStreamBeginCapture_v2, cuGraphInstantiate ->
    // cuGraphInstantiateWithFlags). cuMemsetD8Async, cuEventCreate/Record/Synchronize/ElapsedTime, cuStreamEndCapture,
    // cuGraphLaunch and the graph destroys have no versioned alias (only _ptsz per-thread-stream variants, which we do not use).
    [LibraryImport(Lib, EntryPoint = "cuDeviceGetAttribute")] internal static partial int cuDeviceGetAttribute(out int value, CudaDeviceAttribute attribute, int device);
    [LibraryImport(Lib, EntryPoint = "cuMemGetInfo_v2")] internal static partial int cuMemGetInfo(out nuint free, out nuint total);
    [LibraryImport(Lib, EntryPoint = "cuCtxSynchronize")] internal static partial int cuCtxSynchronize();

    [LibraryImport(Lib, EntryPoint = "cuMemcpyHtoDAsync_v2")]
    internal static partial int cuMemcpyHtoDAsync(ulong destination, void* source, nuint bytes, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuMemcpyDtoHAsync_v2")]
    internal static partial int cuMemcpyDtoHAsync(void* destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuMemcpyDtoDAsync_v2")]
    internal static partial int cuMemcpyDtoDAsync(ulong destination, ulong source, nuint bytes, nint stream);

    [LibraryImport(Lib, EntryPoint = "cuMemsetD8Async")] internal static partial int cuMemsetD8Async(ulong destination, byte value, nuint count, nint stream);
    [LibraryImport(Lib, EntryPoint = "cuMemAllocHost_v2")] internal static partial int cuMemAllocHost(out nint pointer, nuint bytes);
    [LibraryImport(Lib, EntryPoint = "cuMemFreeHost")] internal static partial int cuMemFreeHost(nint pointer);

    [LibraryImport(Lib, EntryPoint = "cuEventCreate")] internal static partial int cuEventCreate(out nint evt, uint flags);
    [LibraryImport(Lib, EntryPoint = "cuEventRecord")] internal static partial int cuEventRecord(nint evt, nint stream);
    [LibraryImport(Lib, EntryPoint = "cuEventSynchronize")] internal static partial int cuEventSynchronize(nint evt);
    [LibraryImport(Lib, EntryPoint = "cuEventElapsedTime")] internal static partial int cuEventElapsedTime(out float milliseconds, nint start, nint end);
    [LibraryImport(Lib, EntryPoint = "cuEventDestroy_v2")] internal static partial int cuEventDestroy(nint evt);

    [LibraryImport(Lib, EntryPoint = "cuStreamBeginCapture_v2")] internal static partial int cuStreamBeginCapture(nint stream, CudaStreamCaptureMode mode);
    [LibraryImport(Lib, EntryPoint = "cuStreamEndCapture")] internal static partial int cuStreamEndCapture(nint stream, out nint graph);
    [LibraryImport(Lib, EntryPoint = "cuStreamIsCapturing")] internal static partial int cuStreamIsCapturing(nint stream, out int status);
    [LibraryImport(Lib, EntryPoint = "cuGraphInstantiateWithFlags")] internal static partial int cuGraphInstantiateWithFlags(out nint graphExec, nint graph, ulong flags);
    [LibraryImport(Lib, EntryPoint = "cuGraphLaunch")] internal static partial int cuGraphLaunch(nint graphExec, nint stream);
    [LibraryImport(Lib, EntryPoint = "cuGraphExecDestroy")] internal static partial int cuGraphExecDestroy(nint graphExec);
    [LibraryImport(Lib, EntryPoint = "cuGraphDestroy")] internal static partial int cuGraphDestroy(nint graph);
}

/// <summary>The CUDA driver API: checked wrappers that turn every non-zero status into a <see cref="CudaException"/>.</summary>
internal static unsafe class CudaDriver
{
    /// <summary>The <c>CUresult</c> the driver gives when no CUDA-capable device is present.</summary>
    public const int ErrorNoDevice = 100;

    /// <summary>Throws <see cref="CudaException"/> naming <paramref name="function"/> when <paramref name="status"/> is not success.</summary>
    public static void Check(int status, string function)
    {
        if (status != 0) throw new CudaException(function, status, ErrorName(status), ErrorString(status));
    }

    /// <summary>The driver's description of a status code (never throws).</summary>
    public static string ErrorString(int status) =>
        CudaDriverNative.cuGetErrorString(status, out var text) == 0 && text != 0 ? Marshal.PtrToStringUTF8(text) ?? "" : $"unrecognised CUresult {status}";

    /// <summary>The driver's name of a status code (never throws).</summary>
    public static string ErrorName(int status) =>
        CudaDriverNative.cuGetErrorName(status, out var text) == 0 && text != 0 ? Marshal.PtrToStringUTF8(text) ?? "" : $"CUresult {status}";

    /// <summary>Initialises the driver (<c>cuInit(0)</c>).</summary>
    public static void Init() => Check(CudaDriverNative.cuInit(0), "cuInit");

    /// <summary>The driver's CUDA version, e.g. 12020 for 12.2 (works before <see cref="Init"/>).</summary>
    public static int DriverVersion()
    {
        Check(CudaDriverNative.cuDriverGetVersion(out var version), "cuDriverGetVersion");
        return version;
    }

    /// <summary>The number of devices (after <see cref="Init"/>).</summary>
    public static int DeviceCount()
    {
        Check(CudaDriverNative.cuDeviceGetCount(out var count), "cuDeviceGetCount");
        return count;
    }

    /// <summary>The device handle of ordinal <paramref name="ordinal"/>.</summary>
    public static int Device(int ordinal)
    {
        Check(CudaDriverNative.cuDeviceGet(out var device, ordinal), "cuDeviceGet");
        return device;
    }

    /// <summary>The name of a device.</summary>
    public static string DeviceName(int device)
    {
        var buffer = stackalloc byte[256];
        Check(CudaDriverNative.cuDeviceGetName(buffer, 256, device), "cuDeviceGetName");
        return Marshal.PtrToStringUTF8((nint)buffer) ?? "";
    }

    /// <summary>One attribute of a device (<c>cuDeviceGetAttribute</c>).</summary>
    public static int DeviceAttribute(int device, CudaDeviceAttribute attribute)
    {
        Check(CudaDriverNative.cuDeviceGetAttribute(out var value, attribute, device), "cuDeviceGetAttribute");
        return value;
    }

    /// <summary>The compute capability of a device, e.g. (9, 0) for an H100.</summary>
    public static (int Major, int Minor) ComputeCapability(int device) =>
        (DeviceAttribute(device, CudaDeviceAttribute.ComputeCapabilityMajor), DeviceAttribute(device, CudaDeviceAttribute.ComputeCapabilityMinor));

    /// <summary>Free and total device memory of the current context's device, in bytes (<c>cuMemGetInfo_v2</c>).</summary>
    public static (long Free, long Total) MemoryInfo()
    {
        Check(CudaDriverNative.cuMemGetInfo(out var free, out var total), "cuMemGetInfo_v2");
        return ((long)free, (long)total);
    }

    /// <summary>Queues a host-to-device copy on <paramref name="stream"/>. The host memory must be pinned (<see cref="PinnedBuffer"/>) and stay alive until the copy completes.</summary>
    public static void CopyHostToDeviceAsync(ulong destination, void* source, long bytes, CudaStream stream)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Check(CudaDriverNative.cuMemcpyHtoDAsync(destination, source, (nuint)bytes, stream.DangerousGetHandle()), "cuMemcpyHtoDAsync_v2");
    }

    /// <summary>Queues a device-to-host copy on <paramref name="stream"/>. The host memory must be pinned (<see cref="PinnedBuffer"/>); read it only after the stream (or an event) is synchronised.</summary>
    public static void CopyDeviceToHostAsync(void* destination, ulong source, long bytes, CudaStream stream)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Check(CudaDriverNative.cuMemcpyDtoHAsync(destination, source, (nuint)bytes, stream.DangerousGetHandle()), "cuMemcpyDtoHAsync_v2");
    }

    /// <summary>Queues a device-to-device copy on <paramref name="stream"/>.</summary>
    public static void CopyDeviceToDeviceAsync(ulong destination, ulong source, long bytes, CudaStream stream)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Check(CudaDriverNative.cuMemcpyDtoDAsync(destination, source, (nuint)bytes, stream.DangerousGetHandle()), "cuMemcpyDtoDAsync_v2");
    }

    /// <summary>Queues setting <paramref name="count"/> bytes at <paramref name="destination"/> to <paramref name="value"/> on <paramref name="stream"/>.</summary>
    public static void SetBytesAsync(ulong destination, byte value, long count, CudaStream stream)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Check(CudaDriverNative.cuMemsetD8Async(destination, value, (nuint)count, stream.DangerousGetHandle()), "cuMemsetD8Async");
    }
}

/// <summary>A retained primary context of one device; disposing releases it.</summary>
internal sealed class CudaContext : IDisposable
{
    private int _released;

    private CudaContext(int device, nint handle)
    {
        Device = device;
        Handle = handle;
    }

    /// <summary>The device.</summary>
    public int Device { get; }

    /// <summary>The <c>CUcontext</c>.</summary>
    public nint Handle { get; }

    /// <summary>Retains the primary context of <paramref name="device"/> and makes it current on this thread.</summary>
    public static CudaContext RetainPrimary(int device)
    {
        CudaDriver.Check(CudaDriverNative.cuDevicePrimaryCtxRetain(out var handle, device), "cuDevicePrimaryCtxRetain");
        var context = new CudaContext(device, handle);
        try { context.MakeCurrent(); }
        catch { context.Dispose(); throw; }
        return context;
    }

    /// <summary>Makes this context current on the calling thread.</summary>
    public void MakeCurrent()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _released) != 0, this);
        CudaDriver.Check(CudaDriverNative.cuCtxSetCurrent(Handle), "cuCtxSetCurrent");
    }

    /// <summary>Releases the primary context.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
            CudaDriver.Check(CudaDriverNative.cuDevicePrimaryCtxRelease(Device), "cuDevicePrimaryCtxRelease_v2");
    }
}

/// <summary>A CUDA stream (<c>CUstream</c>); released with <c>cuStreamDestroy_v2</c>.</summary>
internal sealed class CudaStream : SafeHandle
{
    private CudaStream() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>Creates a stream in the current context (flags 0: default).</summary>
    public static CudaStream Create(uint flags = 0)
    {
        CudaDriver.Check(CudaDriverNative.cuStreamCreate(out var raw, flags), "cuStreamCreate");
        var stream = new CudaStream();
        stream.SetHandle(raw);
        return stream;
    }

    /// <summary>Waits for everything queued on the stream.</summary>
    public void Synchronize() => CudaDriver.Check(CudaDriverNative.cuStreamSynchronize(DangerousGetHandle()), "cuStreamSynchronize");

    /// <summary>
    /// Starts capturing the work queued on this stream into a graph (<c>cuStreamBeginCapture_v2</c>) instead of running it.
    /// The default <see cref="CudaStreamCaptureMode.ThreadLocal"/> makes an unsafe call (allocation, synchronisation) on this
    /// thread fail the capture, which catches host-side setup that must not be captured, without disturbing other threads
    /// (data loading, tests) the way <see cref="CudaStreamCaptureMode.Global"/> would; <see cref="CudaStreamCaptureMode.Relaxed"/>
    /// would let such calls through silently. Must be a non-default stream created with <see cref="Create"/>.
    /// </summary>
    public void BeginCapture(CudaStreamCaptureMode mode = CudaStreamCaptureMode.ThreadLocal) =>
        CudaDriver.Check(CudaDriverNative.cuStreamBeginCapture(DangerousGetHandle(), mode), "cuStreamBeginCapture_v2");

    /// <summary>Ends the capture started by <see cref="BeginCapture"/> and returns the captured graph (<c>cuStreamEndCapture</c>).</summary>
    public CudaGraph EndCapture()
    {
        CudaDriver.Check(CudaDriverNative.cuStreamEndCapture(DangerousGetHandle(), out var graph), "cuStreamEndCapture");
        return CudaGraph.FromHandle(graph);
    }

    /// <summary>
    /// Whether a capture on this stream was invalidated (<c>cuStreamIsCapturing</c> gives CU_STREAM_CAPTURE_STATUS_INVALIDATED):
    /// asked after each captured command, it names the command that broke the capture instead of leaving only the
    /// end of the capture to fail.
    /// </summary>
    public bool CaptureInvalidated
    {
        get
        {
            CudaDriver.Check(CudaDriverNative.cuStreamIsCapturing(DangerousGetHandle(), out var status), "cuStreamIsCapturing");
            return status == 2;
        }
    }

    /// <summary>
    /// Ends a capture that failed, releasing whatever was captured and ignoring the end's own status (an invalidated
    /// capture fails to end): the error that broke the capture is the one to report.
    /// </summary>
    public void AbandonCapture()
    {
        if (CudaDriverNative.cuStreamEndCapture(DangerousGetHandle(), out var graph) == 0 && graph != 0) CudaDriverNative.cuGraphDestroy(graph);
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudaDriverNative.cuStreamDestroy(handle) == 0;
}

/// <summary>A device allocation (<c>cuMemAlloc_v2</c>); disposing frees it.</summary>
internal sealed unsafe class DeviceBuffer : IDisposable
{
    private ulong _pointer;

    private DeviceBuffer(ulong pointer, long bytes)
    {
        _pointer = pointer;
        Bytes = bytes;
    }

    /// <summary>The size in bytes.</summary>
    public long Bytes { get; }

    /// <summary>The <c>CUdeviceptr</c>.</summary>
    public ulong Pointer => _pointer != 0 ? _pointer : throw new ObjectDisposedException(nameof(DeviceBuffer));

    /// <summary>Allocates <paramref name="bytes"/> bytes in the current context.</summary>
    public static DeviceBuffer Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        CudaDriver.Check(CudaDriverNative.cuMemAlloc(out var pointer, (nuint)bytes), "cuMemAlloc_v2");
        return new DeviceBuffer(pointer, bytes);
    }

    /// <summary>Copies host data to the start of the buffer (synchronous).</summary>
    public void CopyFromHost<T>(ReadOnlySpan<T> source) where T : unmanaged
    {
        var bytes = checked((long)source.Length * sizeof(T));
        if (bytes > Bytes) throw new ArgumentException($"{bytes} bytes do not fit in a buffer of {Bytes}", nameof(source));
        fixed (T* p = source) CudaDriver.Check(CudaDriverNative.cuMemcpyHtoD(Pointer, p, (nuint)bytes), "cuMemcpyHtoD_v2");
    }

    /// <summary>Copies the start of the buffer to host memory (synchronous).</summary>
    public void CopyToHost<T>(Span<T> destination) where T : unmanaged
    {
        var bytes = checked((long)destination.Length * sizeof(T));
        if (bytes > Bytes) throw new ArgumentException($"{bytes} bytes exceed a buffer of {Bytes}", nameof(destination));
        fixed (T* p = destination) CudaDriver.Check(CudaDriverNative.cuMemcpyDtoH(p, Pointer, (nuint)bytes), "cuMemcpyDtoH_v2");
    }

    /// <summary>Queues setting every byte of the buffer to <paramref name="value"/> (e.g. zeroing) on <paramref name="stream"/>.</summary>
    public void FillBytesAsync(byte value, CudaStream stream) => CudaDriver.SetBytesAsync(Pointer, value, Bytes, stream);

    private void CheckRange(long bytes, long otherBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes > Bytes || bytes > otherBytes)
            throw new ArgumentException($"{bytes} bytes exceed a buffer (device {Bytes}, other side {otherBytes})", nameof(bytes));
    }

    /// <summary>Frees the allocation.</summary>
    public void Dispose()
    {
        var pointer = Interlocked.Exchange(ref _pointer, 0);
        if (pointer != 0) CudaDriver.Check(CudaDriverNative.cuMemFree(pointer), "cuMemFree_v2");
    }
}

/// <summary>A loaded module (<c>CUmodule</c>); released with <c>cuModuleUnload</c>.</summary>
internal sealed unsafe class CudaModule : SafeHandle
{
    private CudaModule() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>
    /// Loads a compiled image into the current context: a CUBIN as it is, PTX compiled by the driver. A driver older than
    /// the PTX's compiler refuses it (CUDA_ERROR_UNSUPPORTED_PTX_VERSION), which <see cref="KernelTarget"/> avoids.
    /// </summary>
    public static CudaModule Load(KernelImage image)
    {
        nint raw;
        fixed (byte* p = image.Bytes) CudaDriver.Check(CudaDriverNative.cuModuleLoadData(out raw, p), $"cuModuleLoadData ({image.Target})");
        var module = new CudaModule();
        module.SetHandle(raw);
        return module;
    }

    /// <summary>The kernel <paramref name="name"/> (an <c>extern "C"</c> name).</summary>
    public CudaFunction GetFunction(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name + "\0");
        nint function;
        fixed (byte* p = bytes) CudaDriver.Check(CudaDriverNative.cuModuleGetFunction(out function, DangerousGetHandle(), p), "cuModuleGetFunction");
        return new CudaFunction(function, name);
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudaDriverNative.cuModuleUnload(handle) == 0;
}

/// <summary>A kernel of a loaded module (valid while the module is).</summary>
/// <param name="Handle">The <c>CUfunction</c>.</param>
/// <param name="Name">The kernel name.</param>
internal readonly unsafe record struct CudaFunction(nint Handle, string Name)
{
    /// <summary>
    /// Queues the kernel on <paramref name="stream"/> (never synchronises). <paramref name="arguments"/> holds one pointer to
    /// each argument's value, in order: build it from the addresses of locals, so that nothing is boxed.
    /// </summary>
    public void Launch(uint gridX, uint blockX, CudaStream stream, ReadOnlySpan<nint> arguments, uint sharedBytes = 0)
    {
        fixed (nint* args = arguments)
            CudaDriver.Check(CudaDriverNative.cuLaunchKernel(Handle, gridX, 1, 1, blockX, 1, 1, sharedBytes, stream.DangerousGetHandle(), (void**)args, null),
                "cuLaunchKernel");
    }

    /// <summary>
    /// Queues the kernel with a 3-D grid and block. <paramref name="arguments"/> is the <c>void**</c> array that
    /// <c>cuLaunchKernel</c> takes: one pointer to each argument's value, valid for the duration of the call.
    /// </summary>
    public void Launch((uint X, uint Y, uint Z) grid, (uint X, uint Y, uint Z) block, CudaStream stream, void** arguments, uint sharedBytes = 0) =>
        CudaDriver.Check(CudaDriverNative.cuLaunchKernel(Handle, grid.X, grid.Y, grid.Z, block.X, block.Y, block.Z, sharedBytes,
            stream.DangerousGetHandle(), arguments, null), "cuLaunchKernel");
}
