using StaticGraph.Cuda.Native;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>The driver binding's loading and error path, real against libcuda.so.1 where it is installed.</summary>
public class CudaDriverTests
{
    private static int? DeviceCount()
    {
        try
        {
            CudaDriver.Init();
            return CudaDriver.DeviceCount();
        }
        catch (CudaException)
        {
            return null;
        }
    }

    [Fact]
    public void Driver_version_is_a_CUDA_version()
    {
        if (CudaLibraries.DriverMissing is { } why) Assert.Skip(why);
        Assert.InRange(CudaDriver.DriverVersion(), 10000, 99999);
    }

    [Fact]
    public void CuInit_without_a_device_throws_CudaException_100_with_the_driver_string()
    {
        if (CudaLibraries.DriverMissing is { } why) Assert.Skip(why);
        if (DeviceCount() is > 0) Assert.Skip("a CUDA device is present: the no-device error path cannot be observed");
        var e = Assert.Throws<CudaException>(CudaDriver.Init);
        Assert.Equal(CudaDriver.ErrorNoDevice, e.Code);
        Assert.Equal("cuInit", e.Function);
        Assert.Contains("no CUDA-capable device is detected", e.Message);
        Assert.Contains("cuInit", e.Message);
        Assert.Contains("100", e.Message);
        Assert.Equal("CUDA_ERROR_NO_DEVICE", e.ErrorName);
    }

    [Fact]
    public void Error_strings_come_from_the_driver()
    {
        if (CudaLibraries.DriverMissing is { } why) Assert.Skip(why);
        Assert.Equal("CUDA_ERROR_INVALID_VALUE", CudaDriver.ErrorName(1));
        Assert.Contains("unrecognised", CudaDriver.ErrorString(123456));
    }

    [Fact]
    public void Allocation_round_trips_through_device_memory()
    {
        if (CudaLibraries.DriverMissing is { } why) Assert.Skip(why);
        if (DeviceCount() is not > 0) Assert.Skip("no CUDA device: cuInit or cuDeviceGetCount reports none");
        using var context = CudaContext.RetainPrimary(CudaDriver.Device(0));
        using var buffer = DeviceBuffer.Allocate(16 * sizeof(float));
        var data = Enumerable.Range(0, 16).Select(i => i * 0.5f).ToArray();
        buffer.CopyFromHost<float>(data);
        var back = new float[16];
        buffer.CopyToHost<float>(back);
        Assert.Equal(data, back);
    }
}
