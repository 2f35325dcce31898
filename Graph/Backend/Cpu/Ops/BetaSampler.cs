namespace StaticGraph.Backend.Cpu;

/// <summary>
/// Beta draws from two Gamma draws by Marsaglia and Tsang ("A simple method for generating gamma
/// variables", 2000), in logarithms. The exact recipe, which a GPU port follows, is documented on
/// <see cref="BetaOp"/>.
/// </summary>
internal readonly struct BetaSampler
{
    private const double TwoPow32 = 4294967296.0;
    private readonly GammaShape _x, _y;
    private readonly double _mean;

    public BetaSampler(double alpha, double beta)
    {
        _x = new GammaShape(alpha);
        _y = new GammaShape(beta);
        _mean = alpha / (alpha + beta);
    }

    /// <summary>Element <paramref name="element"/>'s draw: X / (X + Y), or the mean if a Gamma ran out of attempts.</summary>
    public double Draw(RandomCounter counter, uint element)
    {
        if (!TryLogGamma(_x, counter, element, firstDraw: 0, out var logX)) return _mean;
        if (!TryLogGamma(_y, counter, element, firstDraw: BetaOp.MaxAttempts, out var logY)) return _mean;
        // X / (X + Y) = 1 / (1 + Y/X): finite even when X and Y underflow (shape parameters well below 1).
        return 1.0 / (1.0 + Math.Exp(logY - logX));
    }

    /// <summary>ln G with G ~ Gamma(shape.A); attempt k uses draw index firstDraw + k.</summary>
    private static bool TryLogGamma(GammaShape shape, RandomCounter counter, uint element, uint firstDraw, out double logGamma)
    {
        for (uint k = 0; k < BetaOp.MaxAttempts; k++)
        {
            var w = counter.Bits(element, firstDraw + k);
            var u1 = (w.X0 + 1.0) / TwoPow32; // (0, 1]: the log stays finite
            var u2 = w.X1 / TwoPow32;
            var x = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
            var t = 1.0 + shape.C * x;
            var v = t * t * t;
            if (v <= 0) continue;
            var u = (w.X2 + 0.5) / TwoPow32; // (0, 1)
            var xx = x * x;
            if (u < 1.0 - 0.0331 * (xx * xx) || Math.Log(u) < 0.5 * xx + shape.D * (1.0 - v + Math.Log(v)))
            {
                logGamma = Math.Log(shape.D * v);
                if (shape.Boosted)
                {
                    // G(a) = G(a + 1) * U^(1/a); the accept test never read X3, so it is still uniform here.
                    var boost = (w.X3 + 0.5) / TwoPow32;
                    logGamma += Math.Log(boost) / shape.A;
                }
                return true;
            }
        }
        logGamma = 0;
        return false;
    }

    /// <summary>The constants of Marsaglia–Tsang for shape a (run on a + 1 when a &lt; 1).</summary>
    private readonly struct GammaShape
    {
        public GammaShape(double a)
        {
            A = a;
            Boosted = a < 1;
            D = (Boosted ? a + 1 : a) - 1.0 / 3.0;
            C = 1.0 / Math.Sqrt(9.0 * D);
        }

        public double A { get; }

        public bool Boosted { get; }

        public double D { get; }

        public double C { get; }
    }
}
