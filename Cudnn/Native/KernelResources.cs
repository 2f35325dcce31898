using System.Globalization;
using System.Text.RegularExpressions;

namespace StaticGraph.Cuda.Native;

/// <summary>
/// What ptxas reported for one kernel compiled to machine code (<c>--ptxas-options=-v</c>): registers per thread, stack
/// frame and spills. A spill is local-memory traffic the kernel did not ask for; in a kernel that runs every step it costs
/// bandwidth, so the build refuses it (<c>GeneratedKernelTests</c>).
/// </summary>
/// <param name="Kernel">The kernel's name.</param>
/// <param name="Architecture">The <c>sm_XY</c> it was compiled for.</param>
/// <param name="Registers">Registers per thread.</param>
/// <param name="StackBytes">Stack frame bytes per thread (local arrays, spills).</param>
/// <param name="SpillStoreBytes">Bytes spilled to local memory.</param>
/// <param name="SpillLoadBytes">Bytes reloaded from spills.</param>
internal sealed partial record KernelResources(string Kernel, string Architecture, int Registers, int StackBytes, int SpillStoreBytes, int SpillLoadBytes)
{
    /// <summary>True when ptxas spilled registers of this kernel.</summary>
    public bool Spills => SpillStoreBytes > 0 || SpillLoadBytes > 0;

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Kernel} ({Architecture}): {Registers} registers, {StackBytes} bytes stack, {SpillStoreBytes} bytes spill stores, {SpillLoadBytes} bytes spill loads";

    /// <summary>Every kernel of a ptxas <c>-v</c> log, in the order ptxas compiled them.</summary>
    public static IReadOnlyList<KernelResources> Parse(string log)
    {
        var result = new List<KernelResources>();
        string? kernel = null, arch = null;
        int stack = 0, stores = 0, loads = 0;
        foreach (var line in log.Split('\n'))
        {
            if (EntryLine().Match(line) is { Success: true } entry)
            {
                (kernel, arch, stack, stores, loads) = (entry.Groups[1].Value, entry.Groups[2].Value, 0, 0, 0);
            }
            else if (kernel is not null && FrameLine().Match(line) is { Success: true } frame)
            {
                (stack, stores, loads) = (Int(frame.Groups[1]), Int(frame.Groups[2]), Int(frame.Groups[3]));
            }
            else if (kernel is not null && RegisterLine().Match(line) is { Success: true } used)
            {
                result.Add(new KernelResources(kernel, arch!, Int(used.Groups[1]), stack, stores, loads));
                kernel = null;
            }
        }
        return result;
    }

    private static int Int(Group g) => int.Parse(g.Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Compiling entry function '([^']+)' for '(sm_\w+)'")]
    private static partial Regex EntryLine();

    [GeneratedRegex(@"(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads")]
    private static partial Regex FrameLine();

    [GeneratedRegex(@"Used (\d+) registers")]
    private static partial Regex RegisterLine();
}
