using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>One file name (soname) a library may be installed under, with the libraries of the same folder to load before it.</summary>
/// <param name="SoName">The versioned file name, e.g. <c>libnvrtc.so.12</c>.</param>
/// <param name="Preload">File-name patterns (<c>*</c> wildcards) of companions loaded first from the same folder. A companion
/// that fails to load is reported (<see cref="LoadedNativeLibrary.Notes"/>) but does not reject the folder, unless it is
/// <paramref name="Required"/>.</param>
/// <param name="CudaMajor">The CUDA major version the library is built for, when its soname says it (cuBLAS 13, NVRTC 12):
/// a driver that supports an older CUDA cannot serve it.</param>
/// <param name="Required">Companions (exact file names, loaded first and in this order) without which the library is
/// useless: cuDNN's graph, ops and convolution sub-libraries.</param>
internal sealed record NativeLibraryCandidate(string SoName, IReadOnlyList<string> Preload, int? CudaMajor = null, IReadOnlyList<string>? Required = null);

/// <summary>A library the bindings use under a logical name, with its candidate sonames, newest first.</summary>
/// <param name="Name">The logical name the <c>LibraryImport</c> declarations use.</param>
/// <param name="Description">What it is, for messages.</param>
/// <param name="Candidates">The sonames to try, in order of preference.</param>
/// <param name="LoadFirst">Logical names of libraries this one opens by soname at run time (cuDNN opens cuBLASLt and
/// NVRTC): loaded first, when they can be, so that its own lookups find the versions chosen here.</param>
internal sealed record NativeLibrarySpec(string Name, string Description, IReadOnlyList<NativeLibraryCandidate> Candidates, IReadOnlyList<string>? LoadFirst = null);

/// <summary>A library that was loaded: which soname, from where, why that one, and its handle.</summary>
/// <param name="Spec">What was asked for.</param>
/// <param name="SoName">The soname that loaded.</param>
/// <param name="Location">The full path; when the system loader found it by soname, the mapped file (if known) followed by <c>(loader path)</c>.</param>
/// <param name="Handle">The handle from <see cref="NativeLibrary"/>.</param>
/// <param name="Choice">Why this candidate: the first found in search order among those the driver supports, and which
/// newer ones the driver ruled out.</param>
/// <param name="Notes">Optional companions that could not be loaded (the library works without them).</param>
internal sealed record LoadedNativeLibrary(NativeLibrarySpec Spec, string SoName, string Location, IntPtr Handle, string Choice, IReadOnlyList<string> Notes);

/// <summary>A CUDA library could not be found or loaded. The message is one line naming the library and every folder searched.</summary>
public sealed class CudaLibraryNotFoundException : DllNotFoundException
{
    /// <summary>Creates the exception.</summary>
    public CudaLibraryNotFoundException(string libraryName, IReadOnlyList<string> sonames, IReadOnlyList<string> searched, IReadOnlyList<string> failures,
        IReadOnlyList<string>? ruledOut = null)
        : base(Format(libraryName, sonames, searched, failures, ruledOut ?? []))
    {
        LibraryName = libraryName;
        SearchedLocations = searched;
    }

    /// <summary>The logical library name.</summary>
    public string LibraryName { get; }

    /// <summary>Every place searched, in order.</summary>
    public IReadOnlyList<string> SearchedLocations { get; }

    private static string Format(string name, IReadOnlyList<string> sonames, IReadOnlyList<string> searched, IReadOnlyList<string> failures,
        IReadOnlyList<string> ruledOut)
    {
        var text = $"CUDA library '{name}' ({string.Join(" or ", sonames)}) not found; searched: {string.Join(", ", searched)}";
        if (failures.Count > 0) text += $"; found but failed to load: {string.Join("; ", failures)}";
        if (ruledOut.Count > 0) text += $"; not looked for, as the driver cannot serve them: {string.Join(", ", ruledOut)}";
        return $"{text}. Set {NativeLibraryResolver.PathVariable} (colon-separated folders) to point at it.".ReplaceLineEndings(" ");
    }
}

/// <summary>
/// Finds the CUDA libraries by their versioned sonames and serves every logical name of this assembly's
/// <c>LibraryImport</c> declarations through one <see cref="NativeLibrary.SetDllImportResolver"/>.
/// Search order: the folders of <c>STATICGRAPH_CUDA_PATH</c>, the system loader (by soname),
/// <c>/usr/local/cuda/lib64</c>, <c>/usr/lib/x86_64-linux-gnu</c>, and the <c>nvidia/*/lib</c> folders of
/// pip wheels under the Python installation folders.
/// </summary>
internal static class NativeLibraryResolver
{
    /// <summary>The environment variable with extra folders to search first (colon-separated).</summary>
    public const string PathVariable = "STATICGRAPH_CUDA_PATH";

    /// <summary>Logical name of the CUDA driver library.</summary>
    public const string Driver = "staticgraph-cuda";

    /// <summary>Logical name of NVRTC.</summary>
    public const string NvrtcName = "staticgraph-nvrtc";

    /// <summary>Logical name of cuDNN.</summary>
    public const string CudnnName = "staticgraph-cudnn";

    /// <summary>Logical name of cuBLAS.</summary>
    public const string CublasName = "staticgraph-cublas";

    /// <summary>Logical name of cuBLASLt.</summary>
    public const string CublasLtName = "staticgraph-cublaslt";

    /// <summary>Logical name of NCCL (the GPUs' all-reduce of a data-parallel run).</summary>
    public const string NcclName = "staticgraph-nccl";

    private const string LoaderPath = "loader path";

    private static readonly string[] FixedFolders = ["/usr/local/cuda/lib64", "/usr/lib/x86_64-linux-gnu"];

    private static readonly string[] FixedPythonRoots =
        ["/usr/lib", "/usr/local/lib", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local/lib")];

    /// <summary>
    /// Folders holding <c>python3*</c> installations: the system's, the user's, an active virtual or conda environment's,
    /// and that of every <c>python3</c> on the <c>PATH</c> (a virtual environment's wheels, such as PyTorch's
    /// <c>nvidia-*</c> packages, live beside its interpreter, not under <c>/usr</c>).
    /// </summary>
    private static IEnumerable<string> PythonRoots()
    {
        var roots = new List<string>(FixedPythonRoots);
        foreach (var prefix in new[] { "VIRTUAL_ENV", "CONDA_PREFIX" }.Select(Environment.GetEnvironmentVariable))
            if (!string.IsNullOrEmpty(prefix)) roots.Add(Path.Combine(prefix, "lib"));
        foreach (var bin in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            if (File.Exists(Path.Combine(bin, "python3")) && Path.GetDirectoryName(bin.TrimEnd('/')) is { } prefix) roots.Add(Path.Combine(prefix, "lib"));
        return roots.Distinct(StringComparer.Ordinal);
    }

    private static readonly ConcurrentDictionary<string, LoadedNativeLibrary> Loaded = new();
    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>cuDNN's sub-libraries that the calls this project makes need (handle and errors, tensor ops, convolutions), in load order.</summary>
    public static readonly IReadOnlyList<string> CudnnRequired = ["libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9"];

    /// <summary>Every library the bindings know, by logical name.</summary>
    public static IReadOnlyDictionary<string, NativeLibrarySpec> Known { get; } = new Dictionary<string, NativeLibrarySpec>
    {
        // A bare libcuda.so may be the toolkit's stub: only the driver's own soname is tried.
        [Driver] = new(Driver, "CUDA driver", [new("libcuda.so.1", [])]),
        [NvrtcName] = new(NvrtcName, "NVRTC", [
            new("libnvrtc.so.13", ["libnvrtc-builtins.so.13*"], 13),
            new("libnvrtc.so.12", ["libnvrtc-builtins.so.12*"], 12),
            new("libnvrtc.so.11.2", ["libnvrtc-builtins.so.11*"], 11)]),
        // cuDNN 9 is a shim plus sub-libraries that must come from the same folder; the engine libraries are optional
        // (cuDNN falls back to other engines), and it opens cuBLASLt and NVRTC itself.
        [CudnnName] = new(CudnnName, "cuDNN", [new("libcudnn.so.9", ["libcudnn_*.so.9"], null, CudnnRequired)], [CublasLtName, NvrtcName]),
        [CublasName] = new(CublasName, "cuBLAS", [
            new("libcublas.so.13", ["libcublasLt.so.13"], 13, ["libcublasLt.so.13"]),
            new("libcublas.so.12", ["libcublasLt.so.12"], 12, ["libcublasLt.so.12"])]),
        [CublasLtName] = new(CublasLtName, "cuBLASLt", [new("libcublasLt.so.13", [], 13), new("libcublasLt.so.12", [], 12)]),
        // NCCL 2's one soname serves every CUDA version it was built for; pip's nvidia-nccl-cu12 puts it in nvidia/nccl/lib.
        [NcclName] = new(NcclName, "NCCL", [new("libnccl.so.2", [])]),
    };

    /// <summary>Installs the one resolver of this assembly (idempotent). The binding classes call it from their static constructors.</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered) return;
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
            _registered = true;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        Known.ContainsKey(libraryName) ? Load(libraryName).Handle : IntPtr.Zero;

    /// <summary>Loads a known library by logical name (once; later calls return the same), or throws <see cref="CudaLibraryNotFoundException"/>.</summary>
    public static LoadedNativeLibrary Load(string logicalName)
    {
        if (Loaded.TryGetValue(logicalName, out var done)) return done;
        if (!Known.TryGetValue(logicalName, out var spec)) throw new ArgumentException($"unknown CUDA library '{logicalName}'", nameof(logicalName));
        lock (Gate)
        {
            if (Loaded.TryGetValue(logicalName, out done)) return done;
            var result = Load(spec);
            Loaded[logicalName] = result;
            return result;
        }
    }

    /// <summary>Loads a library described by <paramref name="spec"/>, or throws <see cref="CudaLibraryNotFoundException"/>.</summary>
    public static LoadedNativeLibrary Load(NativeLibrarySpec spec) =>
        TryLoad(spec, out var loaded, out var error) ? loaded : throw error;

    /// <summary>
    /// The driver's CUDA version (<c>cuDriverGetVersion</c>, e.g. 12020), or null without a driver library. Candidates built
    /// for a newer CUDA major version than this are skipped.
    /// </summary>
    public static int? DriverVersion()
    {
        try
        {
            Load(Driver);
            return CudaDriverNative.cuDriverGetVersion(out var version) == 0 ? version : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Tries to load a library; on failure gives the exception that <see cref="Load(NativeLibrarySpec)"/> would throw.</summary>
    public static bool TryLoad(NativeLibrarySpec spec, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LoadedNativeLibrary? loaded,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out CudaLibraryNotFoundException? error) =>
        TryLoad(spec, spec.Name == Driver ? null : DriverVersion(), out loaded, out error);

    /// <summary>
    /// Tries to load a library for a driver of version <paramref name="driverVersion"/> (null: unknown, nothing is ruled
    /// out): the first candidate found in search order whose CUDA major version the driver supports.
    /// </summary>
    public static bool TryLoad(NativeLibrarySpec spec, int? driverVersion, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LoadedNativeLibrary? loaded,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out CudaLibraryNotFoundException? error)
    {
        foreach (var first in spec.LoadFirst ?? [])
        {
            try { Load(first); }
            catch (CudaLibraryNotFoundException) { } // the library reports its own absence when it needs it
        }

        var usable = new List<NativeLibraryCandidate>();
        var ruledOut = new List<string>();
        foreach (var c in spec.Candidates)
        {
            if (DriverCompatibility.Rejection(c.CudaMajor, driverVersion) is { } why) ruledOut.Add($"{c.SoName} ({why})");
            else usable.Add(c);
        }
        var choice = ruledOut.Count == 0 ? "first found" : $"first found that the driver supports; ruled out: {string.Join(", ", ruledOut)}";

        var searched = new List<string>();
        var failures = new List<string>();
        var variable = Environment.GetEnvironmentVariable(PathVariable);
        var userFolders = (variable ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (userFolders.Length == 0) searched.Add($"${PathVariable} (unset or empty)");

        foreach (var folder in userFolders)
        {
            searched.Add($"{folder} (from ${PathVariable})");
            if ((loaded = TryFolder(spec, usable, folder, failures, choice)) is not null) { error = null; return true; }
        }

        searched.Add("the system loader path");
        foreach (var candidate in usable)
        {
            if (NativeLibrary.TryLoad(candidate.SoName, out var handle))
            {
                var mapped = MappedPath(candidate.SoName);
                var notes = new List<string>();
                // Companions (NVRTC's builtins) are loaded from the folder the loader took the library from, when known.
                if (mapped is not null && Path.GetDirectoryName(mapped) is { } home) PreloadCompanions(candidate, home, notes);
                loaded = new LoadedNativeLibrary(spec, candidate.SoName, mapped is null ? LoaderPath : $"{mapped} ({LoaderPath})", handle, choice, notes);
                error = null;
                return true;
            }
        }

        foreach (var folder in FixedFolders.Concat(PythonFolders()))
        {
            searched.Add(folder);
            if ((loaded = TryFolder(spec, usable, folder, failures, choice)) is not null) { error = null; return true; }
        }
        searched.Add("site-packages/nvidia/*/lib and dist-packages/nvidia/*/lib under " + string.Join(", ", PythonRoots().Select(r => r + "/python3*")));
        loaded = null;
        error = new CudaLibraryNotFoundException(spec.Description, [.. spec.Candidates.Select(c => c.SoName)], searched, failures, ruledOut);
        return false;
    }

    /// <summary>The <c>nvidia/*/lib</c> folders of pip wheels that exist under the Python installation folders.</summary>
    public static IEnumerable<string> PythonFolders()
    {
        foreach (var root in PythonRoots())
        {
            if (!Directory.Exists(root)) continue;
            foreach (var python in SafeDirectories(root, "python3*").Order(StringComparer.Ordinal))
                foreach (var packages in new[] { "dist-packages", "site-packages" })
                {
                    var nvidia = Path.Combine(python, packages, "nvidia");
                    if (!Directory.Exists(nvidia)) continue;
                    foreach (var lib in SafeDirectories(nvidia, "*").Order(StringComparer.Ordinal))
                    {
                        var folder = Path.Combine(lib, "lib");
                        if (Directory.Exists(folder)) yield return folder;
                    }
                }
        }
    }

    /// <summary>The file the process has mapped for a soname's library (Linux <c>/proc/self/maps</c>), or null.</summary>
    private static string? MappedPath(string soName)
    {
        var stem = soName[..(soName.IndexOf(".so", StringComparison.Ordinal) + 3)];
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var slash = line.IndexOf('/');
                if (slash < 0) continue;
                var path = line[slash..];
                if (Path.GetFileName(path).StartsWith(stem, StringComparison.Ordinal)) return path;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>Loads the optional companions of <paramref name="candidate"/> from <paramref name="folder"/>, noting each that fails.</summary>
    private static void PreloadCompanions(NativeLibraryCandidate candidate, string folder, List<string> notes)
    {
        var required = candidate.Required ?? [];
        foreach (var name in required)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path) || !NativeLibrary.TryLoad(path, out _)) notes.Add($"{path}: required companion could not be loaded");
        }
        foreach (var pattern in candidate.Preload)
            foreach (var companion in Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal))
            {
                if (required.Contains(Path.GetFileName(companion))) continue;
                try
                {
                    NativeLibrary.Load(companion);
                }
                catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
                {
                    notes.Add($"{companion}: {e.Message}".ReplaceLineEndings(" "));
                }
            }
    }

    private static IEnumerable<string> SafeDirectories(string folder, string pattern)
    {
        try { return Directory.GetDirectories(folder, pattern); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return []; }
    }

    /// <summary>
    /// The first of <paramref name="candidates"/> in <paramref name="folder"/> that loads with its required companions;
    /// optional companions that fail are noted, not fatal (a cuDNN engine library that needs something absent must not
    /// reject the whole folder).
    /// </summary>
    private static LoadedNativeLibrary? TryFolder(NativeLibrarySpec spec, IReadOnlyList<NativeLibraryCandidate> candidates, string folder,
        List<string> failures, string choice)
    {
        if (!Directory.Exists(folder)) return null;
        foreach (var candidate in candidates)
        {
            var path = Path.Combine(folder, candidate.SoName);
            if (!File.Exists(path)) continue;
            try
            {
                foreach (var name in candidate.Required ?? [])
                {
                    var companion = Path.Combine(folder, name);
                    if (!File.Exists(companion)) throw new DllNotFoundException($"its companion {name} is not in {folder}");
                    NativeLibrary.Load(companion);
                }
                var notes = new List<string>();
                PreloadCompanions(candidate with { Required = [] }, folder, notes);
                return new LoadedNativeLibrary(spec, candidate.SoName, path, NativeLibrary.Load(path), choice, notes);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                failures.Add($"{path}: {e.Message}".ReplaceLineEndings(" "));
            }
        }
        return null;
    }
}
