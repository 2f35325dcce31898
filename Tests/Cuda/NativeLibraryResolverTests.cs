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

    /// <summary>Copies a real shared library (zlib) under <paramref name="names"/> into a new folder: loadable stand-ins.</summary>
    private static string FolderOf(params string[] names)
    {
        var folder = Directory.CreateTempSubdirectory("sg-cuda-fake").FullName;
        foreach (var name in names) File.Copy("/usr/lib/x86_64-linux-gnu/libz.so.1", Path.Combine(folder, name));
        return folder;
    }

    private static T WithPath<T>(string folder, Func<T> body)
    {
        var saved = Environment.GetEnvironmentVariable(NativeLibraryResolver.PathVariable);
        try
        {
            Environment.SetEnvironmentVariable(NativeLibraryResolver.PathVariable, folder);
            return body();
        }
        finally
        {
            Environment.SetEnvironmentVariable(NativeLibraryResolver.PathVariable, saved);
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Libraries_built_for_a_newer_CUDA_than_the_driver_are_ruled_out_and_the_choice_says_why()
    {
        var spec = new NativeLibrarySpec("staticgraph-fake-blas", "FakeBlas", [
            new("libsgfakeblas.so.13", [], 13), new("libsgfakeblas.so.12", [], 12)]);
        var folder = FolderOf("libsgfakeblas.so.13", "libsgfakeblas.so.12");
        var (onOld, onNew) = WithPath(folder, () =>
        {
            Assert.True(NativeLibraryResolver.TryLoad(spec, driverVersion: 12020, out var old, out _));
            Assert.True(NativeLibraryResolver.TryLoad(spec, driverVersion: 13000, out var @new, out _));
            return (old, @new);
        });
        Assert.Equal("libsgfakeblas.so.12", onOld.SoName);
        Assert.Contains("libsgfakeblas.so.13 (built for CUDA 13, but the driver supports CUDA 12.2)", onOld.Choice);
        Assert.Equal("libsgfakeblas.so.13", onNew.SoName);
        Assert.Equal("first found", onNew.Choice);
    }

    [Fact]
    public void When_only_too_new_libraries_exist_the_error_says_they_were_ruled_out()
    {
        var spec = new NativeLibrarySpec("staticgraph-fake-rtc", "FakeRtc", [new("libsgfakertc.so.13", [], 13)]);
        var e = WithPath(FolderOf("libsgfakertc.so.13"), () =>
        {
            Assert.False(NativeLibraryResolver.TryLoad(spec, 12020, out _, out var error));
            return error;
        });
        Assert.Contains("not looked for, as the driver cannot serve them: libsgfakertc.so.13 (built for CUDA 13, but the driver supports CUDA 12.2)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void An_optional_companion_that_fails_is_noted_without_rejecting_the_folder()
    {
        var spec = new NativeLibrarySpec("staticgraph-fake-dnn", "FakeDnn",
            [new("libsgfakednn.so.9", ["libsgfakednn_*.so.9"], null, ["libsgfakednn_graph.so.9"])]);
        var folder = FolderOf("libsgfakednn.so.9", "libsgfakednn_graph.so.9", "libsgfakednn_ops.so.9");
        File.WriteAllText(Path.Combine(folder, "libsgfakednn_engines.so.9"), "not an ELF file");
        var loaded = WithPath(folder, () => NativeLibraryResolver.Load(spec));
        Assert.Equal("libsgfakednn.so.9", loaded.SoName);
        var note = Assert.Single(loaded.Notes);
        Assert.Contains("libsgfakednn_engines.so.9", note);
    }

    [Fact]
    public void A_missing_required_companion_rejects_the_folder_naming_it()
    {
        var spec = new NativeLibrarySpec("staticgraph-fake-dnn2", "FakeDnn2",
            [new("libsgfakednn2.so.9", ["libsgfakednn2_*.so.9"], null, ["libsgfakednn2_graph.so.9", "libsgfakednn2_cnn.so.9"])]);
        var folder = FolderOf("libsgfakednn2.so.9", "libsgfakednn2_graph.so.9");
        var e = WithPath(folder, () => Assert.Throws<CudaLibraryNotFoundException>(() => NativeLibraryResolver.Load(spec)));
        Assert.Contains("its companion libsgfakednn2_cnn.so.9 is not in", e.Message);
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
