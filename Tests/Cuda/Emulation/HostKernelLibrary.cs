using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using StaticGraph.Cuda.Kernels;
using StaticGraph.Random;

namespace StaticGraph.Tests.Cuda.Emulation;

/// <summary>
/// Generated kernels compiled as host C++ with the machine's C++ compiler, so that the CUDA backend's own kernels run on a
/// machine without a GPU: <c>__global__</c> becomes a plain function, <c>blockIdx</c>/<c>threadIdx</c> become thread-local
/// variables, and a wrapper per kernel runs every (block, thread) of a launch one after another, taking the same
/// <c>void**</c> argument array as <c>cuLaunchKernel</c>. This is faithful because the kernels never cooperate across
/// threads (no shared memory, no barriers; see <see cref="CudaKernelSource.Create"/>).
/// </summary>
internal sealed unsafe class HostKernelLibrary
{
    // Lazy: two ranks of a data-parallel test (threads) plan the same kernels at once, and must not both compile them into the same files.
    private static readonly ConcurrentDictionary<string, Lazy<HostKernelLibrary>> Cache = new();
    private readonly Dictionary<string, nint> _entries;

    private HostKernelLibrary(Dictionary<string, nint> entries) => _entries = entries;

    /// <summary>The C++ compiler, or null when the machine has none.</summary>
    public static string? Compiler { get; } = new[] { "/usr/bin/g++", "/usr/bin/c++", "/usr/bin/clang++" }.FirstOrDefault(File.Exists);

    /// <summary>Why kernels cannot be emulated here, or null when they can.</summary>
    public static string? Missing => Compiler is null ? "no host C++ compiler (g++, c++ or clang++) to run the generated kernels on the host" : null;

    /// <summary>The header that lets CUDA C compile as host C++.</summary>
    public const string Harness = """
        #include <math.h>
        #include <string.h>
        struct sg_host_uint3 { unsigned int x, y, z; };
        static thread_local sg_host_uint3 blockIdx, threadIdx, blockDim, gridDim;
        #define __global__
        #define __device__
        #define __host__
        #define __forceinline__ inline
        template <class T> static inline T min(T a, T b) { return a < b ? a : b; }
        template <class T> static inline T max(T a, T b) { return a > b ? a : b; }
        static inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
        static inline double rsqrt(double x) { return 1.0 / sqrt(x); }
        static inline unsigned int __float_as_uint(float x) { unsigned int u; memcpy(&u, &x, 4); return u; }
        static inline float __uint_as_float(unsigned int u) { float x; memcpy(&x, &u, 4); return x; }
        static inline unsigned int __umulhi(unsigned int a, unsigned int b) { return (unsigned int)(((unsigned long long)a * b) >> 32); }
        static inline unsigned long long __umul64hi(unsigned long long a, unsigned long long b) { return (unsigned long long)(((unsigned __int128)a * b) >> 64); }

        """;

    /// <summary>Compiles <paramref name="kernels"/> (once per distinct set) and loads the library.</summary>
    public static HostKernelLibrary For(IReadOnlyList<CudaKernelSource> kernels)
    {
        if (Missing is { } why) throw new InvalidOperationException(why);
        var source = new StringBuilder(Harness);
        foreach (var k in kernels.DistinctBy(k => k.Name).OrderBy(k => k.Name, StringComparer.Ordinal)) source.Append(k.Source).Append('\n');
        foreach (var k in kernels.DistinctBy(k => k.Name).OrderBy(k => k.Name, StringComparer.Ordinal)) source.Append(Wrapper(k));
        var text = source.ToString();
        return Cache.GetOrAdd(text, t => new Lazy<HostKernelLibrary>(() => Compile(t))).Value;
    }

    /// <summary>Runs a launch of <paramref name="kernel"/> with <paramref name="grid"/> blocks of <paramref name="block"/> threads.</summary>
    public void Launch(string kernel, uint grid, uint block, void** args)
    {
        var entry = (delegate* unmanaged<void**, uint, uint, void>)_entries[kernel];
        entry(args, grid, block);
    }

    private static string Wrapper(CudaKernelSource k)
    {
        var call = string.Join(", ", k.Parameters.Select((p, i) => $"*({p.CType.Replace("__restrict__", "", StringComparison.Ordinal).Trim()}*)args[{i}]"));
        return $$"""
            extern "C" void sg_host_{{k.Name}}(void** args, unsigned int grid, unsigned int block)
            {
                gridDim.x = grid; gridDim.y = 1; gridDim.z = 1;
                blockDim.x = block; blockDim.y = 1; blockDim.z = 1;
                blockIdx.y = blockIdx.z = threadIdx.y = threadIdx.z = 0;
                for (unsigned int b = 0; b < grid; ++b)
                {
                    blockIdx.x = b;
                    for (unsigned int t = 0; t < block; ++t) { threadIdx.x = t; {{k.Name}}({{call}}); }
                }
            }

            """;
    }

    private static HostKernelLibrary Compile(string text)
    {
        var hash = $"{StableHash.Fnv1a(text):x8}{text.Length:x}";
        var folder = Path.Combine(Path.GetTempPath(), "staticgraph-emulator");
        Directory.CreateDirectory(folder);
        var library = Path.Combine(folder, $"kernels-{hash}.so");
        if (!File.Exists(library))
        {
            var cpp = Path.Combine(folder, $"kernels-{hash}-{Environment.ProcessId}.cpp");
            File.WriteAllText(cpp, text);
            var temp = library + $".{Environment.ProcessId}.tmp";
            // -ffp-contract=off: no fused multiply-adds, like NVRTC with --fmad=false, so the bits follow the source.
            var psi = new ProcessStartInfo(Compiler!, ["-std=c++17", "-O1", "-ffp-contract=off", "-fno-fast-math", "-shared", "-fPIC", "-w", "-o", temp, cpp])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(psi)!;
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"the generated kernels do not compile as host C++ ({cpp}):\n{errors.Result}");
            File.Move(temp, library, overwrite: true);
        }
        var handle = NativeLibrary.Load(library);
        var entries = new Dictionary<string, nint>();
        foreach (var line in text.Split('\n').Where(l => l.StartsWith("extern \"C\" void sg_host_", StringComparison.Ordinal)))
        {
            var name = line["extern \"C\" void sg_host_".Length..line.IndexOf('(', StringComparison.Ordinal)];
            entries[name] = NativeLibrary.GetExport(handle, "sg_host_" + name);
        }
        return new HostKernelLibrary(entries);
    }
}
