namespace StaticGraph.Conformance;

/// <summary>One row of <see cref="Tolerances"/>: what a target computing in one dtype and precision mode is held to.</summary>
/// <param name="Row">The row's name: f64, f32, tf32, bf16, fp16.</param>
/// <param name="Op">Largest <see cref="Errors.Relative"/> error of one op's outputs and gradients against the f64 CPU reference.</param>
/// <param name="Draws">
/// Largest relative error of random draws that go through log, cos or exp (normal, beta) against the CPU's draws in the same
/// dtype: the libraries' functions may differ in the last bit. Every other draw is compared bit for bit.
/// </param>
/// <param name="Loss">Largest relative error of a training step's loss.</param>
/// <param name="Logits">Largest error of a training step's (or an inference program's) logits, by the same measure as <paramref name="Op"/>.</param>
/// <param name="ByNorm">
/// Whether op outputs and logits are compared by relative L2 norm (<see cref="Errors.RelativeL2"/>) rather than element by
/// element (<see cref="Errors.Relative"/>): rounding operands to 11 or 8 bits moves an output that a sum cancels near zero by
/// many times its own size, so only norms say how close a 16-bit (or TF32) result is.
/// </param>
/// <param name="Updates">Largest relative L2 error of a step's updates (each variable's value after minus before), all variables together.</param>
/// <param name="Variable">
/// Largest relative L2 error of one variable's update (<see cref="Errors.Update"/>). Looser than <paramref name="Updates"/>:
/// a ReLU mask flipped by a pre-activation within the rounding of zero changes a gradient element by its whole value, and in a
/// small tensor (a batch-norm scale of 64 channels) that is a percent; a wrong kernel is off by order one.
/// </param>
public sealed record Tolerance(string Row, double Op, double Draws, double Loss, double Logits, bool ByNorm, double Updates, double Variable);

/// <summary>
/// The one tolerance table: every comparison of a backend with the f64 CPU reference (the kit's cases, <c>device-check</c>,
/// the F# CUDA properties) takes its bound from here, by the program's dtype and the target's precision mode. Each value
/// comes from an error the tests measured, with a margin, as its comment says.
/// </summary>
public static class Tolerances
{
    /// <summary>The unit roundoff of bfloat16 (8 significant bits).</summary>
    public const double Bf16Roundoff = 1.0 / (1 << 8);

    /// <summary>The unit roundoff of IEEE half and of TF32 (11 significant bits).</summary>
    public const double F16Roundoff = 1.0 / (1 << 11);

    /// <summary>
    /// f64. The CPU against itself is bitwise (the partition of work does not depend on the thread count); the emulator's
    /// kernels and reference cuDNN/cuBLAS loops sum in other orders, a few ulps per op (1e-10 holds every op case with
    /// room) and up to 1e-9 after a deep network's step (1e-8 held every emulated model step since the emulator came;
    /// the kit measured 7e-13 at worst). Normal and beta draws agree to about one ulp of double (1e-12).
    /// </summary>
    public static Tolerance F64 { get; } = new("f64", Op: 1e-10, Draws: 1e-12, Loss: 1e-8, Logits: 1e-8, ByNorm: false, Updates: 1e-8, Variable: 1e-8);

    /// <summary>
    /// f32, TF32 off. One op in f32 against f64 on the same (f32) inputs is within a few f32 ulps where the reference is not
    /// near zero (the error is measured against 1% of the tensor's largest magnitude at least): 1e-4, the numerics
    /// contract's per-op bound (the CPU's f32 path and the emulator measured 1.6e-5 at worst, batch norm at a mean of 10).
    /// A step compounds it through every layer: the f32 steps of the zoo's models at batch 2 and 8×8 measured the loss up
    /// to 1.7e-6 (1e-4), logits up to 4.2e-4 (pyramidnet-110; 1e-3, the bound the GPU checks used for one step), updates
    /// by norm up to 3.7e-5 (1e-3) and one variable's up to 7.4e-5; 0.1 for one variable, as a ReLU mask flipped by f32
    /// rounding moved a batch-norm scale by 1.8e-2 (emulated shake-shake-26-2x64d). Normal and beta draws round a double
    /// to f32: within an f32 ulp (1e-6).
    /// </summary>
    public static Tolerance F32 { get; } = new("f32", Op: 1e-4, Draws: 1e-6, Loss: 1e-4, Logits: 1e-3, ByNorm: false, Updates: 1e-3, Variable: 0.1);

    /// <summary>
    /// TF32: convolutions and GEMMs round their operands to 11 significant bits (u = 2^-11) and accumulate in f32, as FP16
    /// does without its range limits: FP16's bounds (see <see cref="Fp16"/>). Not yet measured on a GPU.
    /// </summary>
    public static Tolerance Tf32 { get; } = new("tf32", Op: 4 * F16Roundoff, Draws: 1e-6, Loss: 2 * F16Roundoff, Logits: 10 * F16Roundoff, ByNorm: true, Updates: 0.25, Variable: 2);

    /// <summary>
    /// BF16 convolutions and GEMMs (u = 2^-8) with f32 accumulation and master weights, measured on the emulator: one op's
    /// outputs and gradients within 0.93u by norm (4u); resnet-preact-20's step at batch 2 and 8×8 loss 0.85u (2u), logits
    /// 4.9u by norm (10u), updates 0.40 by norm (0.75; 0.24 at batch 4 and 12×12: ReLU masks flip, so the gradient's error
    /// grows like √u and batch norm over eight values a channel amplifies it), one variable's update 0.67 (2: a tensor
    /// updated the wrong way round is off by 2; the worst tensors are batch-norm shifts, whose gradients cancel).
    /// DenseNet-BC-100's logits measured 13.6u: a hundred layers compound it, so its 16-bit step is not in the kit's
    /// 16-bit set.
    /// </summary>
    public static Tolerance Bf16 { get; } = new("bf16", Op: 4 * Bf16Roundoff, Draws: 1e-6, Loss: 2 * Bf16Roundoff, Logits: 10 * Bf16Roundoff, ByNorm: true, Updates: 0.75, Variable: 2);

    /// <summary>
    /// FP16 (u = 2^-11) with dynamic loss scaling, measured as <see cref="Bf16"/>: ops within 0.94u (4u); resnet-preact-20's
    /// step loss 0.23u (2u), logits 3.7u (10u), updates 0.095 by norm (0.25; 0.11 at batch 4 and 12×12), one variable 0.21 (2).
    /// </summary>
    public static Tolerance Fp16 { get; } = new("fp16", Op: 4 * F16Roundoff, Draws: 1e-6, Loss: 2 * F16Roundoff, Logits: 10 * F16Roundoff, ByNorm: true, Updates: 0.25, Variable: 2);

    /// <summary>Every row, for reports.</summary>
    public static IReadOnlyList<Tolerance> All { get; } = [F64, F32, Tf32, Bf16, Fp16];

    /// <summary>The row for programs in <paramref name="dtype"/> computing in <paramref name="precision"/> (f64 ignores the precision).</summary>
    public static Tolerance For(DType dtype, string precision) => dtype switch
    {
        DType.F64 => F64,
        DType.F32 => precision switch
        {
            "f32" => F32,
            "tf32" => Tf32,
            "bf16" => Bf16,
            "fp16" => Fp16,
            _ => throw new ArgumentException($"no tolerance for precision '{precision}': choose one of {string.Join(", ", BackendSettings.Precisions)}", nameof(precision)),
        },
        _ => throw new ArgumentException($"programs are built in f32 or f64, not {dtype}", nameof(dtype)),
    };

    /// <summary>"f32" or "f64".</summary>
    public static string Describe(DType dtype) => dtype switch
    {
        DType.F32 => "f32",
        DType.F64 => "f64",
        _ => throw new ArgumentException($"programs are built in f32 or f64, not {dtype}", nameof(dtype)),
    };
}
