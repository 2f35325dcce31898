using System.Diagnostics;
using Xunit;

namespace StaticGraph.OnnxTests;

/// <summary>
/// The ONNX project's reference checker (<c>onnx.checker.check_model</c> with <c>full_check</c>: every node against its
/// operator schema, and shape inference over the whole graph), from Debian's python3-onnx, run on a serialized model.
/// Without that package the calling test reports skipped, saying so.
/// </summary>
internal static class OnnxChecker
{
    private const string Python = "/usr/bin/python3";

    private const string Script = """
        import sys
        model = sys.stdin.buffer.read()
        try:
            import onnx
        except ImportError:
            sys.exit(3)
        onnx.checker.check_model(onnx.load_from_string(model), full_check=True)
        print(onnx.__version__)
        """;

    /// <summary>Checks <paramref name="model"/>; returns the checker's onnx version, fails the test with its message.</summary>
    public static string Check(byte[] model)
    {
        if (!File.Exists(Python)) Assert.Skip($"{Python} is not installed (apt-get install python3-onnx)");
        var psi = new ProcessStartInfo(Python, ["-c", Script]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(model);
        process.StandardInput.Close();
        process.WaitForExit();
        if (process.ExitCode == 3) Assert.Skip("the onnx Python package is not installed (apt-get install python3-onnx)");
        // The exception's message ends the traceback: its lines (the reason, then the node's context) from "onnx.".
        var lines = stderr.Result.Trim().Split('\n');
        var reason = string.Join(" | ", lines.SkipWhile(l => !l.StartsWith("onnx.", StringComparison.Ordinal)).Where(l => l.Trim().Length > 0));
        Assert.True(process.ExitCode == 0, $"onnx.checker refused the model: {(reason.Length > 0 ? reason : lines[^1])}");
        return stdout.Result.Trim();
    }
}
