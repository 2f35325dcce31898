namespace StaticGraph.Regularizers;

/// <summary>The regularizers that replace a batch's images and targets wholesale (Mixup, CutMix, RICAP, Dual-Cutout): at most one per run.</summary>
public static class BatchMixing
{
    /// <summary>Their exclusive group, worded as the reason they cannot be combined.</summary>
    public const string Group = "replace the batch's images and targets in their own way";
}
