using static StaticGraph.Conformance.Ops.CaseHelpers;

namespace StaticGraph.Conformance.Ops;

/// <summary>The image ops the batch regularizers compose: box masks (boxes clipped to the image, empty boxes).</summary>
internal static class ImageCases
{
    /// <summary>Every case of the family.</summary>
    public static IEnumerable<OpCase> All()
    {
        yield return Case<BoxMaskOp>("box_mask", [CaseInput.Ints("boxes", [5, 4], Values.Fixed(1, 2, 4, 5, -3, -2, 2, 3, 4, 5, 9, 12, 3, 3, 3, 6, 5, 1, 2, 4))],
            (b, x) => b.BoxMask(x[0], 6, 7, b.FloatType));
    }
}
