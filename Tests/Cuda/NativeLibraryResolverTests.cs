using StaticGraph.Cuda.Native;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>The resolver's search and its one-line error; these run everywhere (no CUDA library needed).</summary>
[Collection(nameof(CudaEnvironmentCollection))]
public class NativeLibraryResolverTests
{
    private static readonly NativeLibrarySpec Fake = new("staticgraph-fake", "FakeLib", [new NativeLibraryCandidate("libstaticgraph_fake.so.7", [])]);

    [Fact]
    public void Missing_library_message_names_the_library_and_every_folder_searched()
    {
        var folder = Directory.CreateTempSubdirectory("sg-cuda-path").FullName;
        var saved = Environment.GetEnvironmentVariable(NativeLibraryResolver.PathVariable);
        try
        {
            Environment.SetEnvironmentVariable(NativeLibraryResolver.PathVariable, folder + ":/nonexistent/sg-cuda");
            var e = Assert.Throws<CudaLibraryNotFoundException>(() => NativeLibraryResolver.Load(Fake));
            Assert.DoesNotContain('\n', e.Message);
            Assert.Contains("FakeLib", e.Message);
            Assert.Contains("libstaticgraph_fake.so.7", e.Message);
            foreach (var searched in new[] { folder, "/nonexistent/sg-cuda", "loader path", "/usr/local/cuda/lib64", "/usr/lib/x86_64-linux-gnu", "nvidia/*/lib" })
                Assert.Contains(searched, e.Message);
            Assert.Contains(NativeLibraryResolver.PathVariable, e.Message);
            Assert.Equal("FakeLib", e.LibraryName);
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeLibraryResolver.PathVariable, saved);
            Directory.Delete(folder);
        }
    }

    [Fact]
    public void Empty_path_variable_is_reported_as_such()
    {
        var saved = Environment.GetEnvironmentVariable(NativeLibraryResolver.PathVariable);
        try
        {
            Environment.SetEnvironmentVariable(NativeLibraryResolver.PathVariable, "");
            Assert.False(NativeLibraryResolver.TryLoad(Fake, out _, out var error));
            Assert.Contains($"${NativeLibraryResolver.PathVariable} (unset or empty)", error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeLibraryResolver.PathVariable, saved);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_library_is_reported_with_its_load_failure()
    {
        var folder = Directory.CreateTempSubdirectory("sg-cuda-bad").FullName;
        var saved = Environment.GetEnvironmentVariable(NativeLibraryResolver.PathVariable);
        try
        {
            File.WriteAllText(Path.Combine(folder, "libstaticgraph_fake.so.7"), "not an ELF file");
            Environment.SetEnvironmentVariable(NativeLibraryResolver.PathVariable, folder);
            var e = Assert.Throws<CudaLibraryNotFoundException>(() => NativeLibraryResolver.Load(Fake));
            Assert.Contains("found but failed to load", e.Message);
            Assert.Contains(Path.Combine(folder, "libstaticgraph_fake.so.7"), e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeLibraryResolver.PathVariable, saved);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_table_names_the_versioned_sonames_only()
    {
        var sonames = NativeLibraryResolver.Known.Values.SelectMany(s => s.Candidates).Select(c => c.SoName).ToArray();
        Assert.Contains("libcuda.so.1", sonames);
        Assert.Contains("libnvrtc.so.11.2", sonames);
        Assert.Contains("libcudnn.so.9", sonames);
        Assert.Contains("libcublas.so.12", sonames);
        Assert.Contains("libcublas.so.13", sonames);
        Assert.DoesNotContain("libcuda.so", sonames);
        Assert.DoesNotContain("libcudnn.so", sonames);
    }
}

/// <summary>Tests that change <c>STATICGRAPH_CUDA_PATH</c> run one at a time.</summary>
[CollectionDefinition(nameof(CudaEnvironmentCollection), DisableParallelization = true)]
public class CudaEnvironmentCollection;
