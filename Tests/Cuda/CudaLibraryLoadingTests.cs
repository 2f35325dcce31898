using System.Runtime.InteropServices;
using StaticGraph.Cuda.Native;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// Loading cuDNN and cuBLAS: where they are missing, the first call fails with the resolver's one-line message naming the
/// library, its sonames and every folder searched; where they are present, every bound symbol must be exported.
/// </summary>
[Collection(nameof(CudaEnvironmentCollection))]
public class CudaLibraryLoadingTests
{
    private static void AssertOneLineMissingMessage(string message, string description, string soname)
    {
        Assert.DoesNotContain('\n', message);
        Assert.StartsWith($"CUDA library '{description}' ({soname}", message);
        foreach (var folder in new[] { "the system loader path", "/usr/local/cuda/lib64", "/usr/lib/x86_64-linux-gnu", "nvidia/*/lib" })
            Assert.Contains(folder, message);
        Assert.Contains(NativeLibraryResolver.PathVariable, message);
    }

    [Fact]
    public void Missing_cuDNN_fails_the_first_call_with_a_one_line_message()
    {
        if (CudaTestEnvironment.CudnnMissing is null) Assert.Skip("cuDNN is installed here: the missing-library path cannot be observed");
        var e = Assert.Throws<CudaLibraryNotFoundException>(() => Cudnn.RawVersion());
        AssertOneLineMissingMessage(e.Message, "cuDNN", "libcudnn.so.9");
        Assert.Equal("cuDNN", e.LibraryName);
        Assert.Throws<CudaLibraryNotFoundException>(() => CudnnHandle.Create());
    }

    [Fact]
    public void Missing_cuBLAS_fails_the_first_call_with_a_one_line_message()
    {
        if (CudaTestEnvironment.CublasMissing is null) Assert.Skip("cuBLAS is installed here: the missing-library path cannot be observed");
        var e = Assert.Throws<CudaLibraryNotFoundException>(() => CublasHandle.Create());
        AssertOneLineMissingMessage(e.Message, "cuBLAS", "libcublas.so.13 or libcublas.so.12");
    }

    [Fact]
    public void Error_strings_never_throw_without_the_library()
    {
        if (CudaTestEnvironment.CudnnMissing is null) Assert.Skip("cuDNN is installed here: the fallback path cannot be observed");
        // The fallbacks catch DllNotFoundException, of which CudaLibraryNotFoundException is a kind.
        Assert.Null(Cudnn.ErrorString(2000));
        Assert.Equal("", Cudnn.LastErrorString());
        Assert.Equal("CUBLAS_STATUS_EXECUTION_FAILED", Cublas.StatusName(13));
        Assert.Equal("cublasStatus_t 99", Cublas.StatusName(99));
    }

    [Theory]
    [InlineData("CudnnNative", NativeLibraryResolver.CudnnName)]
    [InlineData("CublasNative", NativeLibraryResolver.CublasName)]
    [InlineData("CudaDriverNative", NativeLibraryResolver.Driver)]
    public void Every_bound_symbol_is_exported_by_the_installed_library(string bindingClass, string library)
    {
        string? missing = library switch
        {
            NativeLibraryResolver.CudnnName => CudaTestEnvironment.CudnnMissing,
            NativeLibraryResolver.CublasName => CudaTestEnvironment.CublasMissing,
            _ => CudaLibraries.DriverMissing,
        };
        if (missing is not null) Assert.Skip(missing);
        var handle = NativeLibraryResolver.Load(library).Handle;
        var symbols = CudaTestEnvironment.EntryPoints(bindingClass);
        Assert.NotEmpty(symbols);
        // cuDNN 9's libcudnn.so.9 is a shim that exports the whole legacy API; a symbol it lacks would throw EntryPointNotFoundException at first call.
        var absent = symbols.Where(s => !NativeLibrary.TryGetExport(handle, s, out _)).ToArray();
        Assert.True(absent.Length == 0, $"not exported by {library}: {string.Join(", ", absent)}");
    }
}
