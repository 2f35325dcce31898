using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>
/// The process's handle on one device: its primary context, the stream every executable issues on, and the cuDNN and
/// cuBLAS handles bound to that stream. Created once on first use; executables share it, so their commands are ordered.
/// </summary>
internal sealed class CudaRuntime
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<int, CudaRuntime> Runtimes = [];

    private CudaRuntime(int ordinal)
    {
        CudaDriver.Init();
        var device = CudaDriver.Device(ordinal);
        Context = CudaContext.RetainPrimary(device);
        DeviceName = CudaDriver.DeviceName(device);
        ComputeCapability = CudaDriver.ComputeCapability(device);
        Stream = CudaStream.Create();
        Cudnn = CudnnHandle.Create();
        Cudnn.SetStream(Stream);
        Cublas = CublasHandle.Create();
        Cublas.SetStream(Stream);
        // A workspace of cuBLAS's own for this stream: reproducible results, and no allocation during graph capture.
        CublasWorkspace = DeviceBuffer.Allocate(CublasWorkspaceBytes);
        Cublas.SetWorkspace(CublasWorkspace.Pointer, CublasWorkspaceBytes);
    }

    private const long CublasWorkspaceBytes = 32L << 20;

    public DeviceBuffer CublasWorkspace { get; }

    /// <summary>The runtime of device <paramref name="ordinal"/> (created on first use).</summary>
    public static CudaRuntime For(int ordinal)
    {
        lock (Gate)
        {
            if (!Runtimes.TryGetValue(ordinal, out var r)) Runtimes[ordinal] = r = new CudaRuntime(ordinal);
            r.Context.MakeCurrent();
            return r;
        }
    }

    public CudaContext Context { get; }

    public string DeviceName { get; }

    public (int Major, int Minor) ComputeCapability { get; }

    public CudaStream Stream { get; }

    public CudnnHandle Cudnn { get; }

    public CublasHandle Cublas { get; }

    /// <summary>What the kernels are compiled to for this device (chosen once, on first use: it loads NVRTC).</summary>
    public KernelTarget KernelTarget => _kernelTarget ??=
        KernelTarget.Choose(ComputeCapability, Nvrtc.SupportedArchitectures(), Nvrtc.Version(), CudaDriver.DriverVersion());

    private KernelTarget? _kernelTarget;
}
