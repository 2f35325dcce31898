using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Data;
using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// The device data pipeline's kernels give the CPU assembler's batch bit for bit: same crops, flips, padding bytes and
/// normalised values, from the same augmentation draws (run through the host emulator; compiled with NVRTC too).
/// </summary>
public class BatchAssemblyKernelTests
{
    [Theory]
    [InlineData(1, 28, 28, true)]
    [InlineData(3, 32, 32, true)]
    [InlineData(3, 7, 5, false)]
    public unsafe void The_device_batch_is_the_CPU_batch_bitwise(int channels, int height, int width, bool augment)
    {
        EmulatorParity.RequireEmulator();
        const int count = 9, batch = 6;
        var rng = new System.Random(channels * 100 + height);
        var pixels = new byte[count * channels * height * width];
        rng.NextBytes(pixels);
        var labels = Enumerable.Range(0, count).Select(i => (i * 5 + 1) % 10).ToArray();
        var dataset = new ImageDataset("synthetic", pixels, labels, channels, height, width, 10,
            [.. Enumerable.Range(0, channels).Select(c => 0.3f + 0.1f * c)], [.. Enumerable.Range(0, channels).Select(c => 0.2f + 0.05f * c)]);
        var options = augment ? AugmentOptions.Training : AugmentOptions.Evaluation;
        int[] indices = [4, 0, 8, 8, 2, 7];
        const ulong seed = 12345;
        const long batchId = 77;

        var expectedImages = new float[batch * dataset.ImageSize];
        var expectedLabels = new int[batch];
        BatchAssembler.Assemble(dataset, indices, options, seed, batchId, expectedImages, expectedLabels);

        var plan = new int[batch * StaticGraph.Backend.ImageBatchPlan.Stride];
        BatchAssembler.Plan(indices, options, seed, batchId, plan);
        var tables = BatchAssembler.ConversionTables(dataset, options.Normalize);
        var images = new float[expectedImages.Length];
        var gathered = new int[batch];
        var library = HostKernelLibrary.For([BatchAssemblySource.Images, BatchAssemblySource.Labels]);
        fixed (byte* px = pixels)
        fixed (int* pl = plan, lb = labels, gl = gathered)
        fixed (float* tb = tables, im = images)
        {
            using var imageArgs = new KernelArgBlock([KernelArg.U64((ulong)px), KernelArg.U64((ulong)pl), KernelArg.U64((ulong)tb), KernelArg.U64((ulong)im),
                KernelArg.I64(images.Length), KernelArg.I32(channels), KernelArg.I32(height), KernelArg.I32(width)], _ => 0);
            using var labelArgs = new KernelArgBlock([KernelArg.U64((ulong)lb), KernelArg.U64((ulong)pl), KernelArg.U64((ulong)gl), KernelArg.I64(batch)], _ => 0);
            library.Launch(BatchAssemblySource.Images.Name, 3, LaunchCommand.BlockSize, imageArgs.Pointers);
            library.Launch(BatchAssemblySource.Labels.Name, 1, LaunchCommand.BlockSize, labelArgs.Pointers);
        }
        Assert.Equal(expectedLabels, gathered);
        for (var i = 0; i < images.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expectedImages[i]) == BitConverter.SingleToInt32Bits(images[i]),
                $"element {i}: CPU {expectedImages[i]:R}, device kernel {images[i]:R}");
    }

    [Fact]
    public void The_kernels_compile_with_NVRTC()
    {
        if (CudaLibraries.NvrtcMissing is { } why) Assert.Skip(why);
        var ptx = StaticGraph.Cuda.Native.NvrtcCompiler.CompileToPtx(BatchAssemblySource.Images.Source + BatchAssemblySource.Labels.Source, "batch.cu", "compute_90");
        Assert.Contains(".entry sg_assemble_images(", ptx);
        Assert.Contains(".entry sg_assemble_labels(", ptx);
    }
}
