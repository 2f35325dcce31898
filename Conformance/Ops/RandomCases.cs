using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>
/// Every random op, each case several draws of one op (shapes over a 256-thread block, edge parameters), compared with
/// the CPU's draws in the target's dtype after each of three steps under two seeds: bit for bit where the recipe uses
/// correctly rounded arithmetic only, within the table's draw bound where it calls log, cos or exp (normal, beta).
/// </summary>
internal static class RandomCases
{
    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        yield return Draws<UniformOp>("uniform", [], (b, _) =>
            [b.Uniform("unit", [7, 41]), b.Uniform("signed", [5, 3], -1, 1), b.Uniform("wide", [33], -3.25, 1e6)]);
        // p = 0.1 is not an f32: it is compared in double, as on the CPU.
        yield return Draws<BernoulliOp>("bernoulli", [], (b, _) =>
            [b.Bernoulli("half", [300], 0.5), b.Bernoulli("rare", [9, 9], 0.1), b.Bernoulli("never", [17], 0), b.Bernoulli("always", [17], 1)]);
        yield return Draws<NormalOp>("normal", [], (b, _) =>
            [b.Normal("standard", [6, 50]), b.Normal("shifted", [31], mean: -2.5, std: 0.01), b.Normal("degenerate", [5], mean: 3, std: 0)], transcendental: true);
        // Shapes below 1 take the boosted path (U^(1/a)); tiny ones underflow X and Y.
        yield return Draws<BetaOp>("beta", [], (b, _) =>
            [b.Beta("mixup", [64], 0.2, 0.2), b.Beta("skewed", [40], 2.5, 0.7), b.Beta("large", [40], 1, 30), b.Beta("tiny", [20], 0.01, 0.02)], transcendental: true);
        yield return Draws<PermutationOp>("permutation", [], (b, _) =>
            [b.Permutation("one", 1), b.Permutation("two", 2), b.Permutation("odd", 37), b.Permutation("long", 300)]);
        // Odd sides, and a side larger than the image (clipped to it) when centred anywhere.
        yield return Draws<BoxesOp>("boxes/cutout", [], (b, _) =>
            [b.CutoutBoxes("square", 40, 13, 17, 6), b.CutoutBoxes("whole", 9, 5, 7, 5), b.CutoutBoxes("huge", 300, 4, 9, 2_000_000_000),
             b.CutoutBoxes("inside", 40, 13, 17, 6, inside: true), b.CutoutBoxes("inside-odd", 300, 32, 32, 1, inside: true)]);
        // lam clamped to [0, 1]; NaN gives an empty box.
        yield return Draws<BoxesOp>("boxes/cutmix", [CaseInput.Data("lam", [12], Values.Fixed(0.5, 0, 1, -0.5, 2, double.NaN, 0.999, 0.01, 0.3, 0.75, 0.25, 0.1))],
            (b, x) => [b.CutMixBoxes("boxes", x[0], 15, 22)]);
        // A 2 x 2 image never fits a rectangle of area 0.9 or more: every attempt is rejected.
        yield return Draws<ErasingBoxesOp>("erasing_boxes", [], (b, _) =>
        [
            b.ErasingBoxes("standard", 64, 32, 32), b.ErasingBoxes("always", 20, 7, 11, probability: 1, areaMin: 0.1, areaMax: 0.9, minAspect: 0.2, maxAttempts: 3),
            b.ErasingBoxes("never", 5, 8, 8, probability: 0), b.ErasingBoxes("hopeless", 6, 2, 2, probability: 1, areaMin: 0.9, areaMax: 1, maxAttempts: 4),
        ]);
        // 10 x 9: 0.5 * 9 = 4.5 rounds half to even; boundaries outside [0, 1] and NaN are clamped.
        foreach (var (name, w, h) in new[] { ("inside", 0.3, 0.6), ("half", 0.5, 0.25), ("edges", 0.0, 1.0), ("out-of-range", -1.0, double.NaN) })
            yield return Draws<RicapLayoutOp>($"ricap_layout/{name}", [CaseInput.Data("boundary", [2], Values.Fixed(w, h))], (b, x) => [b.RicapLayout("ricap", x[0], 10, 9)]);
    }
}
