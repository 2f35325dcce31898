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
}

/// <summary>The CUDA driver API: checked wrappers that turn every non-zero status into a <see cref="CudaException"/>.</summary>
public static unsafe class CudaDriver
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
}

/// <summary>A retained primary context of one device; disposing releases it.</summary>
public sealed class CudaContext : IDisposable
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
public sealed class CudaStream : SafeHandle
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

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudaDriverNative.cuStreamDestroy(handle) == 0;
}

/// <summary>A device allocation (<c>cuMemAlloc_v2</c>); disposing frees it.</summary>
public sealed unsafe class DeviceBuffer : IDisposable
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

    /// <summary>Frees the allocation.</summary>
    public void Dispose()
    {
        var pointer = Interlocked.Exchange(ref _pointer, 0);
        if (pointer != 0) CudaDriver.Check(CudaDriverNative.cuMemFree(pointer), "cuMemFree_v2");
    }
}

/// <summary>A loaded module (<c>CUmodule</c>); released with <c>cuModuleUnload</c>.</summary>
public sealed unsafe class CudaModule : SafeHandle
{
    private CudaModule() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>Loads PTX text into the current context (the driver JIT-compiles it for the device).</summary>
    public static CudaModule LoadPtx(string ptx)
    {
        var image = Encoding.UTF8.GetBytes(ptx + "\0");
        nint raw;
        fixed (byte* p = image) CudaDriver.Check(CudaDriverNative.cuModuleLoadData(out raw, p), "cuModuleLoadData");
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
public readonly unsafe record struct CudaFunction(nint Handle, string Name)
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
}
