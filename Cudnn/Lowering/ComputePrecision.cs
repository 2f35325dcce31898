namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// The arithmetic precision of an f32 program's convolutions and matrix products on the device. Storage stays f32 in
/// every mode (variables are the master weights, activations and gradients between ops are f32); only the inputs of
/// cuDNN convolutions and cuBLAS GEMMs are converted to 16 bits, so that they run on tensor cores with f32 accumulation.
/// f64 programs ignore the setting.
/// </summary>
public enum ComputePrecision
{
    /// <summary>Everything in f32 (the default; TF32 only when <c>CudaOptions.AllowTf32</c> says so).</summary>
    F32,

    /// <summary>bfloat16 inputs (8 significant bits, f32's exponent range): no loss scaling needed.</summary>
    BF16,

    /// <summary>IEEE half inputs (11 significant bits, range 6e-8..65504): gradients are protected by dynamic loss scaling.</summary>
    F16,
}
