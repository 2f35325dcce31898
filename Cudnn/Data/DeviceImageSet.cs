using StaticGraph.Backend;
using StaticGraph.Cuda.Backend;
using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Data;

/// <summary>
/// A data set kept on the GPU: its bytes and labels uploaded once, batches assembled there (crop, flip, normalisation by
/// the kernels of <see cref="BatchAssemblySource"/>) straight into a program's image and label inputs. Per step only the
/// batch plan crosses the bus: four ints per image.
/// </summary>
public sealed unsafe class DeviceImageSet : IImageBatchSource
{
    private readonly CudaRuntime _runtime;
    private readonly DeviceBuffer _pixels;
    private readonly DeviceBuffer _labels;
    private readonly DeviceBuffer _tables;
    private readonly DeviceBuffer _plan;
    private readonly PinnedBuffer _staging;
    private readonly CudaModule _module;
    private readonly CudaFunction _assembleImages;
    private readonly CudaFunction _assembleLabels;
    private readonly Dictionary<(CudaExecutable, string, string?), (KernelArgBlock Images, KernelArgBlock? Labels, long Elements)> _targets = [];

    /// <summary>Uploads <paramref name="images"/> for batches of up to <paramref name="maxBatch"/> images.</summary>
    public DeviceImageSet(ImageSet images, int maxBatch, int device = 0)
        : this(Checked(images).Pixels.Span, images.Labels.Span, images.Channels, images.Height, images.Width, images.ConversionTables.Span, maxBatch, device)
    {
    }

    private static ImageSet Checked(ImageSet images)
    {
        ArgumentNullException.ThrowIfNull(images);
        images.Validate();
        return images;
    }

    /// <summary>
    /// Uploads images of channels × height × width bytes with their labels (one per image), and the per-channel
    /// byte-to-float tables (channels × 256 values: what each byte becomes after scaling and normalisation).
    /// </summary>
    public DeviceImageSet(ReadOnlySpan<byte> pixels, ReadOnlySpan<int> labels, int channels, int height, int width,
        ReadOnlySpan<float> tables, int maxBatch, int device = 0)
    {
        if (pixels.Length != (long)labels.Length * channels * height * width)
            throw new ArgumentException($"{labels.Length} images of {channels}x{height}x{width} need {(long)labels.Length * channels * height * width} bytes, got {pixels.Length}", nameof(pixels));
        if (tables.Length != channels * 256)
            throw new ArgumentException($"expected {channels} tables of 256 values, got {tables.Length} values", nameof(tables));
        (Count, Channels, Height, Width, MaxBatch) = (labels.Length, channels, height, width, maxBatch);
        _runtime = CudaRuntime.For(device);
        _pixels = DeviceBuffer.Allocate(Math.Max(pixels.Length, 1));
        _pixels.CopyFromHost(pixels);
        _labels = DeviceBuffer.Allocate(Math.Max(labels.Length, 1) * sizeof(int));
        _labels.CopyFromHost(labels);
        _tables = DeviceBuffer.Allocate(tables.Length * sizeof(float));
        _tables.CopyFromHost(tables);
        _plan = DeviceBuffer.Allocate((long)maxBatch * ImageBatchPlan.Stride * sizeof(int));
        _staging = PinnedBuffer.Allocate((long)maxBatch * ImageBatchPlan.Stride * sizeof(int));
        var source = BatchAssemblySource.Images.Source + "\n" + BatchAssemblySource.Labels.Source;
        _module = KernelModules.Load(source, _runtime);
        _assembleImages = _module.GetFunction(BatchAssemblySource.Images.Name);
        _assembleLabels = _module.GetFunction(BatchAssemblySource.Labels.Name);
    }

    /// <summary>Images held.</summary>
    public int Count { get; }

    /// <summary>Channels per image.</summary>
    public int Channels { get; }

    /// <summary>Rows per image.</summary>
    public int Height { get; }

    /// <summary>Columns per image.</summary>
    public int Width { get; }

    /// <summary>The largest batch an assembly takes.</summary>
    public int MaxBatch { get; }

    /// <summary>
    /// Writes the batch described by <paramref name="plan"/> (per image: index, vertical shift, horizontal shift, flip) into
    /// <paramref name="target"/>'s inputs <paramref name="imageInput"/> [N, C, H, W] (f32) and <paramref name="labelInput"/>
    /// [N] (i32; null when the program takes no labels, as an inference program). Queued on the stream the target runs on,
    /// so its next run sees the batch.
    /// </summary>
    public void Assemble(IExecutable target, string imageInput, string? labelInput, ReadOnlySpan<int> plan) =>
        Assemble(target as CudaExecutable ?? throw new ArgumentException($"a device data set writes into CUDA executables, not {target?.GetType().Name}", nameof(target)),
            imageInput, labelInput, plan);

    /// <inheritdoc cref="Assemble(IExecutable, string, string?, ReadOnlySpan{int})"/>
    public void Assemble(CudaExecutable target, string imageInput, string? labelInput, ReadOnlySpan<int> plan)
    {
        var images = target.Program.Inputs.FirstOrDefault(i => i.Name == imageInput)
            ?? throw new KeyNotFoundException($"the program has no input named '{imageInput}'");
        var batch = images.Shape[0];
        if (plan.Length != batch * ImageBatchPlan.Stride)
            throw new ArgumentException($"input '{imageInput}' holds {batch} images: the plan needs {batch * ImageBatchPlan.Stride} ints, got {plan.Length}", nameof(plan));
        if (images.Shape.Rank != 4 || images.DType != DType.F32 || images.Shape[1] != Channels || images.Shape[2] != Height || images.Shape[3] != Width)
            throw new ArgumentException($"input '{imageInput}' is {images.Type}; this data set assembles f32[{batch},{Channels},{Height},{Width}]");
        if (batch > MaxBatch) throw new ArgumentException($"a batch of {batch} exceeds the {MaxBatch} this data set was prepared for");
        for (var p = 0; p < batch; p++)
        {
            var index = plan[p * ImageBatchPlan.Stride];
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(plan), $"image {p} of the batch names index {index}; the data set holds {Count}");
        }

        if (!_targets.TryGetValue((target, imageInput, labelInput), out var args))
        {
            var elements = images.Shape.ElementCount;
            args = (
                new KernelArgBlock([KernelArg.U64(_pixels.Pointer), KernelArg.U64(_plan.Pointer), KernelArg.U64(_tables.Pointer),
                    KernelArg.U64(target.InputPointer(imageInput)), KernelArg.I64(elements), KernelArg.I32(Channels), KernelArg.I32(Height), KernelArg.I32(Width)], _ => 0),
                labelInput is null ? null
                    : new KernelArgBlock([KernelArg.U64(_labels.Pointer), KernelArg.U64(_plan.Pointer), KernelArg.U64(target.InputPointer(labelInput)), KernelArg.I64(batch)], _ => 0),
                elements);
            _targets[(target, imageInput, labelInput)] = args;
        }
        plan.CopyTo(_staging.AsSpan<int>());
        var stream = _runtime.Stream;
        // The previous run ended synchronised, so the staging buffer is free to refill and the copy is ordered before the launches.
        CudaDriver.CopyHostToDeviceAsync(_plan.Pointer, _staging.Pointer, (long)plan.Length * sizeof(int), stream);
        const uint block = LaunchCommand.BlockSize;
        _assembleImages.Launch((LaunchCommand.BlocksFor(args.Elements), 1, 1), (block, 1, 1), stream, args.Images.Pointers);
        if (args.Labels is { } labelArgs)
            _assembleLabels.Launch((LaunchCommand.BlocksFor(batch), 1, 1), (block, 1, 1), stream, labelArgs.Pointers);
    }

    /// <summary>Frees the device copies.</summary>
    public void Dispose()
    {
        foreach (var (images, labels, _) in _targets.Values)
        {
            images.Dispose();
            labels?.Dispose();
        }
        _module.Dispose();
        _staging.Dispose();
        _plan.Dispose();
        _tables.Dispose();
        _labels.Dispose();
        _pixels.Dispose();
    }
}
