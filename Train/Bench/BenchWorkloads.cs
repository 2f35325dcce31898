using StaticGraph.Regularizers;

namespace StaticGraph.Train.Bench;

/// <summary>
/// The workloads <c>sgtrain bench --workload</c> knows: the ones the open benchmark issues name, so that each issue's
/// lines can be reproduced by name.
/// </summary>
public static class BenchWorkloads
{
    /// <summary>Shake-Shake-Image: shake forward, shake backward, one coefficient pair per image (the paper's CIFAR-10 choice).</summary>
    private static readonly RegularizerSettings ShakeShakeImage = RegularizerSettings.None.With(ShakeShakeDefinition.Key, null, ("forward", "shake"), ("backward", "shake"), ("image", true));

    /// <summary>Every workload, in the order the help lists them.</summary>
    public static IReadOnlyList<BenchWorkload> All { get; } =
    [
        new("rp20", "resnet-preact-20", RegularizerSettings.None, 1, 28, "rp20", null),
        new("rp20c3", "resnet-preact-20", RegularizerSettings.None, 3, 32, "rp20", null),
        new("ss26_2x32d", "shake-shake-26-2x32d", ShakeShakeImage, 3, 32, "ss26", 32),
        new("ss26_2x96d", "shake-shake-26-2x96d", ShakeShakeImage, 3, 32, "ss26", 96),
    ];

    /// <summary>The workload named <paramref name="name"/>; an unknown name fails in one line that lists the valid ones.</summary>
    public static BenchWorkload Get(string name) =>
        All.FirstOrDefault(w => w.Name == name)
        ?? throw new ArgumentException($"unknown workload '{name}'; valid workloads: {string.Join(", ", All.Select(w => w.Name))}");

    /// <summary>A comma-separated list such as <c>rp20,ss26_2x32d</c> (spaces ignored, duplicates kept once, in order).</summary>
    public static IReadOnlyList<BenchWorkload> Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var names = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
            throw new ArgumentException($"--workload needs at least one name; valid workloads: {string.Join(", ", All.Select(w => w.Name))}");
        return names.Distinct(StringComparer.Ordinal).Select(Get).ToList();
    }
}
