using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Native;
using StaticGraph.Random;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>Kernels run on a device against the CPU recipe; skipped (never passed) without a GPU.</summary>
public class CudaKernelLaunchTests
{
    [Fact]
    public unsafe void Uniform_f32_kernel_gives_the_CPU_bits()
    {
        if (CudaLibraries.DriverMissing is { } noDriver) Assert.Skip("no CUDA device: " + noDriver);
        if (CudaLibraries.NvrtcMissing is { } noNvrtc) Assert.Skip(noNvrtc);
        try
        {
            CudaDriver.Init();
            if (CudaDriver.DeviceCount() == 0) Assert.Skip("no CUDA device: cuDeviceGetCount gives 0");
        }
        catch (CudaException e)
        {
            Assert.Skip("no CUDA device: " + e.Message);
        }

        using var context = CudaContext.RetainPrimary(CudaDriver.Device(0));
        var kernel = RandomKernelSource.Uniform(KernelType.F32);
        using var module = CudaModule.LoadPtx(NvrtcCompiler.CompileToPtx(kernel.Source, kernel.Name));
        var function = module.GetFunction(kernel.Name);
        using var stream = CudaStream.Create();
        const int count = 4099;
        using var y = DeviceBuffer.Allocate(count * sizeof(float));
        ulong pointer = y.Pointer, seed = 0x1234_5678_9abc_def0UL;
        long n = count;
        uint streamId = 17, step = 5;
        double low = -1, span = 3;
        nint* args = stackalloc nint[] { (nint)(&pointer), (nint)(&n), (nint)(&seed), (nint)(&streamId), (nint)(&step), (nint)(&low), (nint)(&span) };
        function.Launch(8, 256, stream, new ReadOnlySpan<nint>(args, 7));
        stream.Synchronize();
        var actual = new float[count];
        y.CopyToHost<float>(actual);
        for (var i = 0u; i < count; i++)
        {
            var u = RandomStream.UniformF32(RandomStream.Bits(seed, i, 0, streamId, step).X0);
            Assert.Equal(BitConverter.SingleToInt32Bits((float)Math.FusedMultiplyAdd(span, u, low)), BitConverter.SingleToInt32Bits(actual[i]));
        }
    }
}
