using System.Diagnostics;
using System.Globalization;
using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Native;
using StaticGraph.Random;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>The generated CUDA C: every kernel compiles with NVRTC, errors carry the log, Philox matches the C# constants and bits.</summary>
public class KernelSourceTests
{
    [Fact]
    public void A_broken_source_gives_NvrtcCompileException_with_the_log()
    {
        if (CudaLibraries.NvrtcMissing is { } why) Assert.Skip(why);
        const string broken = "extern \"C\" __global__ void broken(float* y) { y[0] = undefined_thing; }\n";
        var e = Assert.Throws<NvrtcCompileException>(() => NvrtcCompiler.CompileToPtx(broken, "broken.cu"));
        Assert.Contains("undefined_thing", e.Log);
        Assert.Contains("undefined", e.Log);
        Assert.Contains(e.Log, e.Message);
        Assert.Equal(6, e.Code); // NVRTC_ERROR_COMPILATION
        Assert.Equal("broken.cu", e.ProgramName);
    }

    [Fact]
    public void Nvrtc_reports_its_version()
    {
        if (CudaLibraries.NvrtcMissing is { } why) Assert.Skip(why);
        var (major, minor) = Nvrtc.Version();
        Assert.InRange(major, 11, 99);
        Assert.InRange(minor, 0, 99);
    }

    [Fact]
    public void Philox_source_holds_the_exact_constants_of_the_CSharp_implementation()
    {
        var source = PhiloxSource.Helpers;
        Assert.Contains($"#define SG_PHILOX_M0 0x{Philox4x32.M0:X8}u", source);
        Assert.Contains($"#define SG_PHILOX_M1 0x{Philox4x32.M1:X8}u", source);
        Assert.Contains($"#define SG_PHILOX_W0 0x{Philox4x32.W0:X8}u", source);
        Assert.Contains($"#define SG_PHILOX_W1 0x{Philox4x32.W1:X8}u", source);
        Assert.Contains($"#define SG_PHILOX_ROUNDS {Philox4x32.Rounds}", source);
        Assert.Contains("0xD2511F53u", source);
        Assert.Contains("0xCD9E8D57u", source);
        Assert.Contains("0x9E3779B9u", source);
        Assert.Contains("0xBB67AE85u", source);
        Assert.Contains("16777216.0f", source);
        Assert.Contains("9007199254740992.0", source);
    }

    /// <summary>
    /// The generated helpers are plain C outside NVRTC: compiled by the host C compiler they must give the C# bits for the
    /// Random123 vectors, the counter layout and the U24/U53 conversions. (Same arithmetic as on the device; no GPU needed.)
    /// </summary>
    [Fact]
    public void Philox_source_compiled_as_host_C_matches_the_CSharp_bits()
    {
        var cc = new[] { "/usr/bin/cc", "/usr/bin/gcc", "/usr/bin/clang" }.FirstOrDefault(File.Exists);
        if (cc is null) Assert.Skip("no host C compiler (cc, gcc or clang) to run the generated Philox source on the host");
        var folder = Directory.CreateTempSubdirectory("sg-philox").FullName;
        try
        {
            var inputs = new (ulong Seed, uint E, uint D, uint S, uint T)[]
            {
                (0, 0, 0, 0, 0), (ulong.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue, uint.MaxValue),
                (0x299f31d0_a4093822UL, 0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), (12345, 7, RandomStream.InitializerDraw, 3, 99),
            };
            var main = string.Join("\n", inputs.Select(i =>
                $"{{ sg_u32x4 w = sg_random_bits({i.Seed}ull, {i.E}u, {i.D}u, {i.S}u, {i.T}u); " +
                "printf(\"%08x %08x %08x %08x %.9g %.17g\\n\", w.x0, w.x1, w.x2, w.x3, (double)sg_uniform_f32(w.x0), sg_uniform_f64(w.x0, w.x1)); }"));
            File.WriteAllText(Path.Combine(folder, "philox.c"), "#include <stdio.h>\n" + PhiloxSource.Helpers + "int main(void) {\n" + main + "\nreturn 0; }\n");
            Run(cc, $"-std=c99 -O2 -o {folder}/philox {folder}/philox.c", folder);
            var lines = Run(Path.Combine(folder, "philox"), "", folder).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var expected = inputs.Select(i =>
            {
                var w = RandomStream.Bits(i.Seed, i.E, i.D, i.S, i.T);
                return string.Create(CultureInfo.InvariantCulture,
                    $"{w.X0:x8} {w.X1:x8} {w.X2:x8} {w.X3:x8} {RandomStream.UniformF32(w.X0):G9} {RandomStream.UniformF64(w.X0, w.X1):G17}");
            }).ToArray();
            Assert.Equal("6627e8d5 e169c58d bc57ac4c 9b00dbd8", lines[0][..35]);
            Assert.Equal(expected.Select(Words), lines.Select(Words));
            Assert.Equal(expected.Select(Floats), lines.Select(Floats));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        static string Words(string line) => string.Join(' ', line.Split(' ')[..4]);
        static (double, double) Floats(string line)
        {
            var parts = line.Split(' ');
            return (double.Parse(parts[4], CultureInfo.InvariantCulture), double.Parse(parts[5], CultureInfo.InvariantCulture));
        }
    }

    private static string Run(string file, string arguments, string folder)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = folder,
        })!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {arguments} failed: {error}");
        return output;
    }
}
