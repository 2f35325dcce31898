using StaticGraph.Cuda.Native;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>What the kernels are compiled to, and which libraries a driver can serve: pure logic, no GPU.</summary>
public class KernelTargetTests
{
    private static readonly int[] Nvrtc118Archs = [35, 37, 50, 52, 53, 60, 61, 62, 70, 72, 75, 80, 86, 87, 89, 90];

    [Fact]
    public void A_known_architecture_gets_machine_code()
    {
        var t = KernelTarget.Choose((9, 0), Nvrtc118Archs, (11, 8), driverVersion: 12020);
        Assert.Equal("sm_90", t.Architecture);
        Assert.True(t.IsCubin);
        Assert.Contains("NVRTC 11.8", t.Reason);
        Assert.Contains("CUDA 12.2", t.Reason);
    }

    [Fact]
    public void An_unknown_architecture_gets_PTX_for_the_newest_known_one_below_it()
    {
        // A newer GPU (say sm_100) than this NVRTC knows: PTX for compute_90, which the driver compiles forward.
        var t = KernelTarget.Choose((10, 0), Nvrtc118Archs, (11, 8), driverVersion: 12080);
        Assert.Equal("compute_90", t.Architecture);
        Assert.False(t.IsCubin);
        Assert.Contains("does not know the device's sm_100", t.Reason);
    }

    [Fact]
    public void PTX_newer_than_the_driver_is_refused_naming_both_versions()
    {
        // NVRTC 12.6's PTX on a 12.2 driver fails in cuModuleLoadData (CUDA_ERROR_UNSUPPORTED_PTX_VERSION): refuse up front.
        var e = Assert.Throws<InvalidOperationException>(() => KernelTarget.Choose((10, 0), [80, 90], (12, 6), driverVersion: 12020));
        Assert.Contains("NVRTC 12.6", e.Message);
        Assert.Contains("CUDA 12.2", e.Message);
        // Machine code from the same NVRTC runs on that driver (same major version).
        Assert.Equal("sm_90", KernelTarget.Choose((9, 0), [80, 90], (12, 6), driverVersion: 12020).Architecture);
    }

    [Fact]
    public void An_NVRTC_of_a_newer_major_version_than_the_driver_is_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => KernelTarget.Choose((9, 0), [80, 90, 100], (13, 0), driverVersion: 12080));
        Assert.Contains("built for CUDA 13, but the driver supports CUDA 12.8", e.Message);
    }

    [Theory]
    [InlineData(13, 12020, false)]
    [InlineData(13, 13000, true)]
    [InlineData(12, 13000, true)]
    [InlineData(12, 12000, true)]
    [InlineData(11, 12020, true)]
    public void Driver_admits_libraries_of_its_major_version_or_older(int libraryMajor, int driver, bool admitted) =>
        Assert.Equal(admitted, DriverCompatibility.Rejection(libraryMajor, driver) is null);

    [Fact]
    public void Unknown_versions_rule_nothing_out()
    {
        Assert.Null(DriverCompatibility.Rejection(null, 12020));
        Assert.Null(DriverCompatibility.Rejection(13, null));
    }

    [Fact]
    public void Ptx_needs_a_driver_at_least_as_new_as_its_compiler()
    {
        Assert.True(DriverCompatibility.DriverAcceptsPtxOf((12, 2), 12020));
        Assert.True(DriverCompatibility.DriverAcceptsPtxOf((11, 8), 12020));
        Assert.False(DriverCompatibility.DriverAcceptsPtxOf((12, 6), 12020));
    }
}
