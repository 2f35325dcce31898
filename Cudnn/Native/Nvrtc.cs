using System.Runtime.InteropServices;
using System.Text;

namespace StaticGraph.Cuda.Native;

/// <summary>Raw NVRTC entry points (<c>nvrtc.h</c>). Every call but the error string returns an <c>nvrtcResult</c>.</summary>
internal static unsafe partial class NvrtcNative
{
    private const string Lib = NativeLibraryResolver.NvrtcName;

    static NvrtcNative() => NativeLibraryResolver.EnsureRegistered();

    [LibraryImport(Lib, EntryPoint = "nvrtcGetErrorString")] internal static partial nint nvrtcGetErrorString(int result);
    [LibraryImport(Lib, EntryPoint = "nvrtcVersion")] internal static partial int nvrtcVersion(out int major, out int minor);

    [LibraryImport(Lib, EntryPoint = "nvrtcCreateProgram")]
    internal static partial int nvrtcCreateProgram(out nint program, byte* source, byte* name, int headerCount, byte** headers, byte** includeNames);

    [LibraryImport(Lib, EntryPoint = "nvrtcDestroyProgram")] internal static partial int nvrtcDestroyProgram(ref nint program);
    [LibraryImport(Lib, EntryPoint = "nvrtcCompileProgram")] internal static partial int nvrtcCompileProgram(nint program, int optionCount, byte** options);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetProgramLogSize")] internal static partial int nvrtcGetProgramLogSize(nint program, out nuint size);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetProgramLog")] internal static partial int nvrtcGetProgramLog(nint program, byte* log);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetPTXSize")] internal static partial int nvrtcGetPTXSize(nint program, out nuint size);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetPTX")] internal static partial int nvrtcGetPTX(nint program, byte* ptx);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetCUBINSize")] internal static partial int nvrtcGetCUBINSize(nint program, out nuint size);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetCUBIN")] internal static partial int nvrtcGetCUBIN(nint program, byte* cubin);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetNumSupportedArchs")] internal static partial int nvrtcGetNumSupportedArchs(out int count);
    [LibraryImport(Lib, EntryPoint = "nvrtcGetSupportedArchs")] internal static partial int nvrtcGetSupportedArchs(int* archs);
}

/// <summary>An NVRTC call returned a status other than success.</summary>
public class NvrtcException : Exception
{
    /// <summary>Creates the exception for <paramref name="function"/> returning <paramref name="code"/>.</summary>
    public NvrtcException(string function, int code, string detail)
        : base($"{function} failed with {Nvrtc.ErrorString(code)} ({code}){(detail.Length > 0 ? ": " + detail : "")}")
    {
        Function = function;
        Code = code;
    }

    /// <summary>The NVRTC function that failed.</summary>
    public string Function { get; }

    /// <summary>The <c>nvrtcResult</c> value.</summary>
    public int Code { get; }
}

/// <summary>NVRTC could not compile a program; <see cref="Log"/> holds the compiler's log, which the message includes.</summary>
public sealed class NvrtcCompileException(string programName, int code, string log)
    : NvrtcException("nvrtcCompileProgram", code, $"program '{programName}':{Environment.NewLine}{log}")
{
    /// <summary>The program's name.</summary>
    public string ProgramName { get; } = programName;

    /// <summary>The compiler's log.</summary>
    public string Log { get; } = log;
}

/// <summary>NVRTC helpers: version and error strings.</summary>
internal static class Nvrtc
{
    /// <summary>Throws <see cref="NvrtcException"/> when <paramref name="status"/> is not success.</summary>
    public static void Check(int status, string function)
    {
        if (status != 0) throw new NvrtcException(function, status, "");
    }

    /// <summary>NVRTC's name for a status code.</summary>
    public static string ErrorString(int status)
    {
        var text = NvrtcNative.nvrtcGetErrorString(status);
        return text != 0 ? Marshal.PtrToStringUTF8(text) ?? "" : $"nvrtcResult {status}";
    }

    /// <summary>The NVRTC version (major, minor).</summary>
    public static (int Major, int Minor) Version()
    {
        Check(NvrtcNative.nvrtcVersion(out var major, out var minor), "nvrtcVersion");
        return (major, minor);
    }

    /// <summary>The real architectures this NVRTC can write machine code for, e.g. 80 and 90 (<c>nvrtcGetSupportedArchs</c>).</summary>
    public static unsafe IReadOnlyList<int> SupportedArchitectures()
    {
        Check(NvrtcNative.nvrtcGetNumSupportedArchs(out var count), "nvrtcGetNumSupportedArchs");
        var archs = new int[count];
        fixed (int* p = archs) Check(NvrtcNative.nvrtcGetSupportedArchs(p), "nvrtcGetSupportedArchs");
        return archs;
    }
}

/// <summary>What NVRTC produced for one program: machine code for one GPU architecture, or PTX for the driver to compile.</summary>
/// <param name="Target">The <c>--gpu-architecture</c> it was compiled for: <c>sm_90</c> (CUBIN) or <c>compute_90</c> (PTX).</param>
/// <param name="Bytes">The CUBIN, or the PTX text NUL-terminated, ready for <c>cuModuleLoadData</c>.</param>
/// <param name="Log">The compiler's log: for CUBIN, ptxas's resource report of every kernel (<see cref="KernelResources"/>).</param>
internal sealed record KernelImage(string Target, byte[] Bytes, string Log)
{
    /// <summary>True for machine code, false for PTX.</summary>
    public bool IsCubin => Target.StartsWith("sm_", StringComparison.Ordinal);

    /// <summary>The PTX text (only for PTX images).</summary>
    public string Ptx => IsCubin ? throw new InvalidOperationException($"a CUBIN for {Target} has no PTX text") : Encoding.UTF8.GetString(Bytes).TrimEnd('\0');
}

/// <summary>Compiles CUDA C with NVRTC, to PTX or to machine code (CUBIN).</summary>
internal static unsafe class NvrtcCompiler
{
    /// <summary>
    /// Compiles <paramref name="source"/> for the virtual architecture <paramref name="arch"/> (e.g. <c>compute_80</c>) and returns
    /// the PTX. See <see cref="Compile"/>.
    /// </summary>
    public static string CompileToPtx(string source, string name, string arch = "compute_80") => Compile(source, name, arch).Ptx;

    /// <summary>
    /// Compiles <paramref name="source"/> for <paramref name="target"/>: a real architecture (<c>sm_90</c>) gives a CUBIN and
    /// ptxas's per-kernel resource report (registers, stack, spills) in the log; a virtual one (<c>compute_90</c>) gives PTX.
    /// Floating-point contraction is off (<c>--fmad=false</c>) so that a*b+c rounds twice, as on the CPU backend; kernels
    /// that want a fused multiply-add call <c>fma</c> explicitly. Throws <see cref="NvrtcCompileException"/> with the log on failure.
    /// </summary>
    public static KernelImage Compile(string source, string name, string target)
    {
        var sourceBytes = Encoding.UTF8.GetBytes(source + "\0");
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var cubin = target.StartsWith("sm_", StringComparison.Ordinal);
        nint program;
        fixed (byte* s = sourceBytes, n = nameBytes)
            Nvrtc.Check(NvrtcNative.nvrtcCreateProgram(out program, s, n, 0, null, null), "nvrtcCreateProgram");
        try
        {
            string[] options = cubin ? [$"--gpu-architecture={target}", "--fmad=false", "--ptxas-options=-v"] : [$"--gpu-architecture={target}", "--fmad=false"];
            var optionBytes = options.Select(o => Encoding.UTF8.GetBytes(o + "\0")).ToArray();
            var handles = optionBytes.Select(b => GCHandle.Alloc(b, GCHandleType.Pinned)).ToArray();
            int status;
            try
            {
                var pointers = stackalloc byte*[handles.Length];
                for (var i = 0; i < handles.Length; i++) pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
                status = NvrtcNative.nvrtcCompileProgram(program, handles.Length, pointers);
            }
            finally
            {
                foreach (var h in handles) h.Free();
            }
            var log = Log(program);
            if (status != 0) throw new NvrtcCompileException(name, status, log);

            byte[] image;
            if (cubin)
            {
                Nvrtc.Check(NvrtcNative.nvrtcGetCUBINSize(program, out var size), "nvrtcGetCUBINSize");
                image = new byte[(int)size];
                fixed (byte* p = image) Nvrtc.Check(NvrtcNative.nvrtcGetCUBIN(program, p), "nvrtcGetCUBIN");
            }
            else
            {
                Nvrtc.Check(NvrtcNative.nvrtcGetPTXSize(program, out var size), "nvrtcGetPTXSize");
                image = new byte[(int)size]; // includes the terminating NUL that cuModuleLoadData needs
                fixed (byte* p = image) Nvrtc.Check(NvrtcNative.nvrtcGetPTX(program, p), "nvrtcGetPTX");
            }
            return new KernelImage(target, image, log == "(no log)" ? "" : log);
        }
        finally
        {
            NvrtcNative.nvrtcDestroyProgram(ref program);
        }
    }

    private static string Log(nint program)
    {
        if (NvrtcNative.nvrtcGetProgramLogSize(program, out var size) != 0 || size == 0) return "(no log)";
        var log = new byte[(int)size];
        fixed (byte* p = log)
            if (NvrtcNative.nvrtcGetProgramLog(program, p) != 0) return "(log unavailable)";
        return Encoding.UTF8.GetString(log).TrimEnd('\0').TrimEnd();
    }
}
