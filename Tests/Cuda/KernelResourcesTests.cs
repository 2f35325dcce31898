using StaticGraph.Cuda.Native;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>ptxas's resource report, parsed; and NVRTC's machine code, made on this machine when NVRTC is installed.</summary>
public class KernelResourcesTests
{
    // The shape of NVRTC 11.8's log with --ptxas-options=-v (newer versions add fields after the register count).
    private const string Log = """
        ptxas info    : 0 bytes gmem
        ptxas info    : Compiling entry function 'spilly' for 'sm_90'
        ptxas info    : Function properties for spilly
        ptxas         .     512 bytes stack frame, 24 bytes spill stores, 16 bytes spill loads
        ptxas info    : Used 255 registers, used 0 barriers, 360 bytes cmem[0]
        ptxas info    : Compiling entry function 'lean' for 'sm_90'
        ptxas info    : Function properties for lean
        ptxas         .     0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
        ptxas info    : Used 8 registers
        """;

    [Fact]
    public void The_report_gives_registers_stack_and_spills_per_kernel()
    {
        var kernels = KernelResources.Parse(Log);
        Assert.Equal(2, kernels.Count);
        Assert.Equal(new KernelResources("spilly", "sm_90", 255, 512, 24, 16), kernels[0]);
        Assert.True(kernels[0].Spills);
        Assert.Equal(new KernelResources("lean", "sm_90", 8, 0, 0, 0), kernels[1]);
        Assert.False(kernels[1].Spills);
    }

    [Fact]
    public void NVRTC_writes_machine_code_and_reports_every_kernel()
    {
        if (CudaLibraries.NvrtcMissing is { } why) Assert.Skip(why);
        const string source = """
            extern "C" __global__ void twice(float* a, int n) { int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) a[i] = 2.0f * a[i]; }
            extern "C" __global__ void local_array(double* a) { double r[32]; for (int i = 0; i < 32; i++) r[i] = a[i * threadIdx.x]; a[0] = r[threadIdx.x % 32]; }
            """;
        var image = NvrtcCompiler.Compile(source, "resources.cu", "sm_80");
        Assert.True(image.IsCubin);
        Assert.Equal((byte)0x7f, image.Bytes[0]); // an ELF file
        Assert.Equal("ELF"u8.ToArray(), image.Bytes[1..4]);
        var kernels = KernelResources.Parse(image.Log).ToDictionary(k => k.Kernel);
        Assert.Equal(["local_array", "twice"], kernels.Keys.Order(StringComparer.Ordinal));
        Assert.True(kernels["local_array"].StackBytes >= 32 * 8, kernels["local_array"].ToString());
        Assert.Equal(0, kernels["twice"].StackBytes);
        Assert.Contains(80, Nvrtc.SupportedArchitectures());
    }
}
