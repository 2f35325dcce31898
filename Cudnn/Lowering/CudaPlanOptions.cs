namespace StaticGraph.Cuda.Lowering;

/// <summary>Choices that change the commands a program is planned into.</summary>
/// <param name="Precision">The compute precision of convolutions and GEMMs of f32 programs (f64 programs ignore it).</param>
public sealed record CudaPlanOptions(ComputePrecision Precision = ComputePrecision.F32)
{
    /// <summary>Everything in the program's own dtype.</summary>
    public static CudaPlanOptions Default { get; } = new();
}
