using System.Reflection;
using System.Runtime.InteropServices;

namespace StaticGraph.Distributed.Mpi;

/// <summary>Open MPI's library could not be found or loaded. The message is one line naming it and every place searched.</summary>
public sealed class MpiLibraryNotFoundException(string message) : DllNotFoundException(message);

/// <summary>
/// Finds Open MPI's <c>libmpi.so.40</c> (the soname of Open MPI 3, 4 and 5) and serves the <c>LibraryImport</c> declarations
/// of <see cref="MpiNative"/> from it. Search order: the folders of <c>STATICGRAPH_MPI_PATH</c>, the system loader (by
/// soname), then Debian's, the usual source-build and HPC-module folders. The library is opened with <c>RTLD_GLOBAL</c>:
/// Open MPI loads its transport components as plugins that resolve their symbols against it, which a library opened
/// privately (as <see cref="NativeLibrary"/> does) would hide from them.
/// </summary>
internal static partial class MpiLibrary
{
    /// <summary>The logical name the bindings import.</summary>
    public const string Name = "staticgraph-mpi";

    /// <summary>The environment variable with extra folders to search first (colon-separated).</summary>
    public const string PathVariable = "STATICGRAPH_MPI_PATH";

    /// <summary>The soname tried.</summary>
    public const string SoName = "libmpi.so.40";

    private static readonly string[] FixedFolders =
        ["/usr/lib/x86_64-linux-gnu/openmpi/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib64/openmpi/lib", "/usr/local/lib", "/opt/openmpi/lib"];

    private static readonly Lock Gate = new();
    private static IntPtr _handle;
    private static string? _location;
    private static bool _registered;

    /// <summary>Where the library was loaded from (after <see cref="Load"/>).</summary>
    public static string? Location => _location;

    /// <summary>Installs the resolver of this assembly's MPI imports (idempotent).</summary>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered) return;
            NativeLibrary.SetDllImportResolver(typeof(MpiLibrary).Assembly, Resolve);
            _registered = true;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Name ? Load() : IntPtr.Zero;

    /// <summary>The library's handle, loading it once; <see cref="MpiLibraryNotFoundException"/> when it is nowhere.</summary>
    public static IntPtr Load()
    {
        lock (Gate)
        {
            if (_handle != IntPtr.Zero) return _handle;
            (_handle, _location) = Locate(SoName);
            return _handle;
        }
    }

    /// <summary>
    /// Opens <paramref name="soName"/> from the first place of the search order that has it: its handle and where, or
    /// <see cref="MpiLibraryNotFoundException"/> naming every place searched and every copy that failed to load.
    /// </summary>
    public static (IntPtr Handle, string Location) Locate(string soName)
    {
        var searched = new List<string>();
        var failures = new List<string>();
        var folders = (Environment.GetEnvironmentVariable(PathVariable) ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (folders.Length == 0) searched.Add($"${PathVariable} (unset or empty)");
        foreach (var folder in folders)
        {
            searched.Add($"{folder} (from ${PathVariable})");
            if (TryFolder(folder, soName, failures) is { } found) return found;
        }
        searched.Add("the system loader path");
        var loader = Open(soName, out var error);
        if (loader != IntPtr.Zero) return (loader, $"{soName} (loader path)");
        if (error is not null && !error.Contains("cannot open shared object", StringComparison.Ordinal)) failures.Add(error);
        foreach (var folder in FixedFolders)
        {
            searched.Add(folder);
            if (TryFolder(folder, soName, failures) is { } found) return found;
        }
        var text = $"MPI library 'Open MPI' ({soName}) not found; searched: {string.Join(", ", searched)}";
        if (failures.Count > 0) text += $"; found but failed to load: {string.Join("; ", failures)}";
        throw new MpiLibraryNotFoundException($"{text}. Install Open MPI (Debian: apt-get install openmpi-bin libopenmpi-dev) or set {PathVariable}.".ReplaceLineEndings(" "));
    }

    private static (IntPtr, string)? TryFolder(string folder, string soName, List<string> failures)
    {
        var path = Path.Combine(folder, soName);
        if (!File.Exists(path)) return null;
        var handle = Open(path, out var error);
        if (handle != IntPtr.Zero) return (handle, path);
        failures.Add($"{path}: {error}");
        return null;
    }

    private const int RtldNow = 2, RtldGlobal = 0x100;

    /// <summary><c>dlopen(name, RTLD_NOW | RTLD_GLOBAL)</c>; the handle is one <see cref="NativeLibrary"/> accepts.</summary>
    private static IntPtr Open(string name, out string? error)
    {
        var handle = Dl.Open(name, RtldNow | RtldGlobal);
        error = handle == IntPtr.Zero ? Marshal.PtrToStringUTF8(Dl.Error()) : null;
        return handle;
    }

    private static partial class Dl
    {
        [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
        public static partial IntPtr Open(string file, int mode);

        [LibraryImport("libc", EntryPoint = "dlerror")]
        public static partial IntPtr Error();
    }
}
