using StaticGraph.Backend;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>
/// The CUDA backend: plans a program (<see cref="Lowering.CudaPlanner"/>), compiles its kernels with NVRTC, and runs it
/// through cuDNN, cuBLAS and the driver API on one device.
/// </summary>
public sealed class CudaBackend(CudaOptions options) : IBackend
{
    /// <summary>The backend with default options (deterministic, TF32 off, graph capture on, device 0).</summary>
    public static CudaBackend Default { get; } = new(CudaOptions.Default);

    /// <summary>The options every executable of this backend gets.</summary>
    public CudaOptions Options { get; } = options;

    /// <inheritdoc/>
    public string Name => "cuda";

    /// <inheritdoc/>
    public IReadOnlySet<DType> SupportedDTypes => Lowering.CudaPlanner.SupportedDTypes;

    /// <inheritdoc/>
    public IExecutable Compile(GraphProgram program, CompileOptions options) => CompileCuda(program, options);

    /// <summary>Compiles to the concrete CUDA executable; a dtype outside <see cref="SupportedDTypes"/> is refused before the device is touched.</summary>
    public CudaExecutable CompileCuda(GraphProgram program, CompileOptions options)
    {
        this.RequireSupported(program);
        return new(program, options, Options);
    }

    /// <summary>The images go to the GPU once; per step only the batch plan crosses the bus.</summary>
    public IImageBatchSource? CreateImageSource(ImageSet images, int maxBatch) => new StaticGraph.Cuda.Data.DeviceImageSet(images, maxBatch, Options.Device);

    /// <summary>
    /// Null when programs can run on a GPU here; otherwise one line saying what is missing (a library and where it was
    /// looked for, or the driver's answer when there is no device).
    /// </summary>
    public static string? Unavailable() => Availability.Value;

    /// <summary>The GPUs this machine has (0 when the CUDA backend cannot run here): a data-parallel run needs one per rank.</summary>
    public static int DeviceCount() => Unavailable() is null ? CudaDriver.DeviceCount() : 0;

    // The machine does not change while the process runs: look once.
    private static readonly Lazy<string?> Availability = new(Probe);

    private static string? Probe()
    {
        try
        {
            // The device first: without one, the missing libraries are beside the point.
            NativeLibraryResolver.Load(NativeLibraryResolver.Driver);
            CudaDriver.Init();
            if (CudaDriver.DeviceCount() == 0) return "the CUDA driver reports no device";
            foreach (var name in new[] { NativeLibraryResolver.NvrtcName, NativeLibraryResolver.CudnnName, NativeLibraryResolver.CublasName })
                NativeLibraryResolver.Load(name);
            return null;
        }
        catch (CudaLibraryNotFoundException e)
        {
            return e.Message;
        }
        catch (CudaException e)
        {
            return e.Message;
        }
    }
}
