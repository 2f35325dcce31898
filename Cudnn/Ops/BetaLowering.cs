using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;

namespace StaticGraph.Cuda.Ops;

/// <summary>
/// Beta draws: <c>sg_beta_&lt;t&gt;</c>, one thread per element running the CPU's two bounded Marsaglia–Tsang Gamma loops in
/// logarithms (draw indices 0..63 for X, 64..127 for Y; the mean when either runs out), in double without contraction.
/// The shape constants d and c are computed here in C# exactly as the CPU's sampler computes them and passed as
/// arguments, so only log, cos and exp can differ from the CPU's (by about an ulp of double).
/// </summary>
[CudaLoweringFor(typeof(BetaOp))]
internal sealed class BetaLowering : ICudaLowering
{
    private static readonly string TwoPow32 = "4294967296.0";

    /// <summary>ln G, G ~ Gamma(a), attempt k at draw index first + k; returns 0 when every attempt was rejected.</summary>
    private static readonly KernelHelper LogGamma = new("beta_log_gamma", $$"""
        SG_FN int sg_beta_log_gamma(unsigned long long seed, unsigned int element, unsigned int first, unsigned int stream,
            unsigned int step, double a, int boosted, double d, double c, double* log_gamma)
        {
            for (unsigned int k = 0; k < {{BetaOp.MaxAttempts}}u; ++k)
            {
                const sg_u32x4 w = sg_random_bits(seed, element, first + k, stream, step);
                const double u1 = ((double)w.x0 + 1.0) / {{TwoPow32}}; /* (0, 1]: the log stays finite */
                const double u2 = (double)w.x1 / {{TwoPow32}};
                const double x = sqrt(-2.0 * log(u1)) * cos(2.0 * {{RandomDrawKernel.Literal(Math.PI)}} * u2);
                const double t = 1.0 + c * x;
                const double v = t * t * t;
                if (v <= 0.0) continue;
                const double u = ((double)w.x2 + 0.5) / {{TwoPow32}};
                const double xx = x * x;
                if (u < 1.0 - 0.0331 * (xx * xx) || log(u) < 0.5 * xx + d * (1.0 - v + log(v)))
                {
                    double g = log(d * v);
                    /* G(a) = G(a + 1) * U^(1/a): the accept test never read x3. */
                    if (boosted) g += log(((double)w.x3 + 0.5) / {{TwoPow32}}) / a;
                    *log_gamma = g;
                    return 1;
                }
            }
            return 0;
        }

        """);

    public void Lower(LoweringContext ctx)
    {
        var op = (BetaOp)ctx.Node.Op;
        var type = ctx.Type;
        var kernel = RandomDrawKernel.Create($"sg_beta_{type.Suffix()}", ctx.Node.DType,
            [
                new("double", "ax"), new("int", "boosted_x"), new("double", "dx"), new("double", "cx"),
                new("double", "ay"), new("int", "boosted_y"), new("double", "dy"), new("double", "cy"),
                new("double", "mean"),
            ],
            $"""
            double log_x, log_y, value = mean;
            if (sg_beta_log_gamma(seed, (unsigned int)i, 0u, stream, step, ax, boosted_x, dx, cx, &log_x)
                && sg_beta_log_gamma(seed, (unsigned int)i, {BetaOp.MaxAttempts}u, stream, step, ay, boosted_y, dy, cy, &log_y))
                value = 1.0 / (1.0 + exp(log_y - log_x)); /* X / (X + Y), finite even when both underflow */
            out[i] = ({type.C()})value;
            """, LogGamma);
        RandomDrawKernel.Launch(ctx, kernel, ctx.Node.Shape.ElementCount, [.. Shape(op.Alpha), .. Shape(op.BetaShape), KernelArg.F64(op.Mean)]);
    }

    /// <summary>a, boosted, d, c for shape a, computed as the CPU's sampler does (Marsaglia–Tsang on a + 1 when a &lt; 1).</summary>
    private static KernelArg[] Shape(double a)
    {
        var boosted = a < 1;
        var d = (boosted ? a + 1 : a) - 1.0 / 3.0;
        var c = 1.0 / Math.Sqrt(9.0 * d);
        return [KernelArg.F64(a), KernelArg.I32(boosted ? 1 : 0), KernelArg.F64(d), KernelArg.F64(c)];
    }
}
