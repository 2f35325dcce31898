using System.Globalization;

namespace StaticGraph.Train.Bench;

/// <summary>
/// The one-line result format shared by <c>bench</c> and <c>device-check</c>:
/// <c>{workload}_{device}[_{precision}]_train {measure} ours=X pytorch=Y ratio=Z</c>, with <c>pytorch=unavailable
/// ratio=n/a</c> when the peer could not run. One grep-able form, so that lines from different runs and machines compare.
/// </summary>
public static class BenchLine
{
    /// <summary>The line's first word, e.g. <c>rp20c3_cuda_bf16_train</c> (f32 is left out).</summary>
    public static string Label(string workload, string device, string precision) =>
        precision == "f32" ? $"{workload}_{device}_train" : $"{workload}_{device}_{precision}_train";

    /// <summary>
    /// The measure's name: <c>img/s</c>, <c>step_mib</c> (CPU memory) or <c>peak_mib</c> (CUDA memory), prefixed with
    /// <c>threads1 </c> on a single CPU thread: the single-thread figure is a measure of its own, not a variant of the
    /// default two-thread one.
    /// </summary>
    public static string MeasureName(BenchMeasure measure, string device, int threads)
    {
        var name = measure == BenchMeasure.Speed ? "img/s" : device == "cuda" ? "peak_mib" : "step_mib";
        return device == "cpu" && threads == 1 ? $"threads1 {name}" : name;
    }

    /// <summary>The whole line; the ratio is ours/pytorch for every measure.</summary>
    public static string Format(string label, string measure, double ours, double? pytorch)
    {
        var theirs = pytorch is { } p ? Number(p) : "unavailable";
        var ratio = pytorch is { } q and > 0 ? (ours / q).ToString("F3", CultureInfo.InvariantCulture) : "n/a";
        return $"{label} {measure} ours={Number(ours)} pytorch={theirs} ratio={ratio}";
    }

    /// <summary>A figure as the lines show it: one decimal, invariant culture.</summary>
    public static string Number(double value) => value.ToString("F1", CultureInfo.InvariantCulture);
}
