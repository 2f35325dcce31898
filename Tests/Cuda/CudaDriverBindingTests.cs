using StaticGraph.Cuda.Native;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>The driver additions (async copies, pinned memory, events, attributes, stream capture), real against libcuda.so.1.</summary>
public class CudaDriverBindingTests
{
    [Fact]
    public void Every_driver_symbol_is_a_versioned_export_of_libcuda()
    {
        if (CudaLibraries.DriverMissing is { } why) Assert.Skip(why);
        var symbols = CudaTestEnvironment.EntryPoints("CudaDriverNative");
        // The symbols cuda.h's #define list maps the plain names to; the plain ones are older ABIs.
        foreach (var versioned in new[] { "cuMemcpyHtoDAsync_v2", "cuMemcpyDtoHAsync_v2", "cuMemcpyDtoDAsync_v2", "cuMemAllocHost_v2", "cuMemGetInfo_v2",
                     "cuEventDestroy_v2", "cuStreamBeginCapture_v2", "cuGraphInstantiateWithFlags", "cuStreamDestroy_v2", "cuMemAlloc_v2" })
            Assert.Contains(versioned, symbols);
        foreach (var plain in new[] { "cuMemcpyHtoDAsync", "cuMemAllocHost", "cuMemGetInfo", "cuEventDestroy", "cuStreamBeginCapture", "cuGraphInstantiate" })
            Assert.DoesNotContain(plain, symbols);
        var handle = NativeLibraryResolver.Load(NativeLibraryResolver.Driver).Handle;
        var absent = symbols.Where(s => !System.Runtime.InteropServices.NativeLibrary.TryGetExport(handle, s, out _)).ToArray();
        Assert.True(absent.Length == 0, "not exported by libcuda.so.1: " + string.Join(", ", absent));
    }

    [Fact]
    public void CuInit_gives_100_and_the_driver_reports_its_version()
    {
        if (CudaLibraries.DriverMissing is { } why) Assert.Skip(why);
        if (CudaTestEnvironment.NoDevice() is null) Assert.Skip("a CUDA device is present: the no-device status cannot be observed");
        Assert.Equal(CudaDriver.ErrorNoDevice, Assert.Throws<CudaException>(CudaDriver.Init).Code);
        Assert.InRange(CudaDriver.DriverVersion(), 11000, 99999);
    }

    [Fact]
    public void Without_a_device_the_new_wrappers_fail_with_CudaException_naming_their_symbol()
    {
        // Reaching the driver (not EntryPointNotFoundException) shows the symbol resolves and the arguments marshal.
        if (CudaLibraries.DriverMissing is { } why) Assert.Skip(why);
        if (CudaTestEnvironment.NoDevice() is null) Assert.Skip("a CUDA device is present: these calls would succeed");
        Assert.Equal("cuMemGetInfo_v2", Assert.Throws<CudaException>(() => CudaDriver.MemoryInfo()).Function);
        Assert.Equal("cuMemAllocHost_v2", Assert.Throws<CudaException>(() => PinnedBuffer.Allocate(64)).Function);
        Assert.Equal("cuDeviceGetAttribute", Assert.Throws<CudaException>(() => CudaDriver.ComputeCapability(0)).Function);
    }

    [Fact]
    public unsafe void Async_copies_through_pinned_memory_round_trip()
    {
        if (CudaTestEnvironment.NoDevice() is { } why) Assert.Skip(why);
        using var context = CudaContext.RetainPrimary(CudaDriver.Device(0));
        var (major, _) = CudaDriver.ComputeCapability(0);
        Assert.InRange(major, 3, 20);
        var (free, total) = CudaDriver.MemoryInfo();
        Assert.InRange(free, 1, total);
        using var stream = CudaStream.Create();
        using var host = PinnedBuffer.Allocate(1024 * sizeof(float));
        using var back = PinnedBuffer.Allocate(1024 * sizeof(float));
        using var a = DeviceBuffer.Allocate(1024 * sizeof(float));
        using var b = DeviceBuffer.Allocate(1024 * sizeof(float));
        var data = host.AsSpan<float>();
        for (var i = 0; i < data.Length; i++) data[i] = i * 0.25f;
        CudaDriver.CopyHostToDeviceAsync(a.Pointer, (void*)host.Pointer, host.Bytes, stream);
        b.FillBytesAsync(0xFF, stream);
        CudaDriver.CopyDeviceToDeviceAsync(b.Pointer, a.Pointer, 512 * sizeof(float), stream);
        CudaDriver.CopyDeviceToHostAsync((void*)back.Pointer, b.Pointer, back.Bytes, stream);
        stream.Synchronize();
        var result = back.AsSpan<float>();
        for (var i = 0; i < 512; i++) Assert.Equal(i * 0.25f, result[i]);
        for (var i = 512; i < 1024; i++) Assert.True(float.IsNaN(result[i])); // 0xFFFFFFFF is a NaN
    }

    [Fact]
    public unsafe void A_captured_graph_replays_its_copies()
    {
        if (CudaTestEnvironment.NoDevice() is { } why) Assert.Skip(why);
        using var context = CudaContext.RetainPrimary(CudaDriver.Device(0));
        using var stream = CudaStream.Create();
        using var source = DeviceBuffer.Allocate(256);
        using var target = DeviceBuffer.Allocate(256);
        using var host = PinnedBuffer.Allocate(256);
        source.FillBytesAsync(7, stream);
        stream.Synchronize();

        stream.BeginCapture();
        CudaDriver.CopyDeviceToDeviceAsync(target.Pointer, source.Pointer, 256, stream);
        using var graph = stream.EndCapture();
        using var exec = graph.Instantiate();

        target.FillBytesAsync(0, stream);
        exec.Launch(stream);
        CudaDriver.CopyDeviceToHostAsync((void*)host.Pointer, target.Pointer, 256, stream);
        stream.Synchronize();
        Assert.All(host.AsSpan<byte>().ToArray(), value => Assert.Equal(7, value));
    }
}
