namespace StaticGraph.Conformance;

/// <summary>Makes <paramref name="count"/> reproducible input values from <paramref name="seed"/>.</summary>
public delegate double[] ValueSource(long count, int seed);

/// <summary>
/// The value generators of the kit's cases and of the C# tests: reproducible from a seed, and kept away from the kinks of
/// the ops they feed, so that neither a central difference nor a coarser rounding crosses one.
/// </summary>
public static class Values
{
    /// <summary>N(0, 1) by Box–Muller.</summary>
    public static ValueSource Normal { get; } = (count, seed) =>
    {
        var random = new System.Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
            values[i] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return values;
    };

    /// <summary>Uniform in [-1, 1).</summary>
    public static ValueSource Signed { get; } = Uniform(-1, 1);

    /// <summary>±[0.1, 2]: no perturbation crosses the kink at 0 (relu, abs, sign, step), nor does rounding to 16 bits.</summary>
    public static ValueSource AwayFromZero { get; } = (count, seed) =>
    {
        var random = new System.Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = (0.1 + 1.9 * random.NextDouble()) * (random.Next(2) == 0 ? -1 : 1);
        return values;
    };

    /// <summary>[0.2, 2]: log, sqrt, reciprocal and denominators stay smooth.</summary>
    public static ValueSource Positive { get; } = Uniform(0.2, 2);

    /// <summary>Distinct values 0.01 apart in random order: every maximum is unique and stays one under a small perturbation.</summary>
    public static ValueSource Distinct { get; } = (count, seed) =>
    {
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = (i - count / 2.0) * 0.01;
        new System.Random(seed).Shuffle(values);
        return values;
    };

    /// <summary>Small integers in [-2, 2]: pooling windows full of ties.</summary>
    public static ValueSource Ties { get; } = (count, seed) =>
    {
        var random = new System.Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = random.Next(-2, 3);
        return values;
    };

    /// <summary>Uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public static ValueSource Uniform(double low, double high) => (count, seed) =>
    {
        var random = new System.Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = low + (high - low) * random.NextDouble();
        return values;
    };

    /// <summary>Integers in [0, <paramref name="classes"/>): labels or row indices.</summary>
    public static ValueSource Integers(int classes) => (count, seed) =>
    {
        var random = new System.Random(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++) values[i] = random.Next(classes);
        return values;
    };

    /// <summary>Exactly <paramref name="values"/> (the count must match).</summary>
    public static ValueSource Fixed(params double[] values) => (count, _) =>
        count == values.Length ? (double[])values.Clone() : throw new ArgumentException($"{values.Length} fixed values for an input of {count}");

    /// <summary>Rows of <paramref name="width"/> positive values summing to 1 (soft targets).</summary>
    public static ValueSource Distributions(int width) => (count, seed) =>
    {
        var values = Uniform(0.05, 1)(count, seed);
        for (var row = 0; row < count; row += width)
        {
            var sum = 0.0;
            for (var j = 0; j < width; j++) sum += values[row + j];
            for (var j = 0; j < width; j++) values[row + j] /= sum;
        }
        return values;
    };

    /// <summary><paramref name="values"/> as <paramref name="dtype"/> stores them (f32 rounds; i32 must be integral).</summary>
    public static double[] Round(double[] values, DType dtype)
    {
        ArgumentNullException.ThrowIfNull(values);
        return dtype switch
        {
            DType.F32 => Array.ConvertAll(values, v => (double)(float)v),
            DType.I32 => Array.ConvertAll(values, v => (double)checked((int)v)),
            _ => values,
        };
    }

    /// <summary>Sets input <paramref name="name"/> of <paramref name="dtype"/> to <paramref name="values"/>.</summary>
    public static void Feed(IExecutable run, string name, DType dtype, double[] values)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(values);
        switch (dtype)
        {
            case DType.F32: run.SetInput<float>(name, Array.ConvertAll(values, v => (float)v)); break;
            case DType.F64: run.SetInput<double>(name, values); break;
            case DType.I32: run.SetInput<int>(name, Array.ConvertAll(values, v => checked((int)v))); break;
            default: throw new NotSupportedException($"cannot feed input '{name}' of {dtype}");
        }
    }

    /// <summary>Overwrites variable <paramref name="variable"/> with <paramref name="values"/> in its dtype.</summary>
    public static void Write(IExecutable run, Node variable, double[] values)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(variable);
        switch (variable.DType)
        {
            case DType.F32: run.WriteVariable<float>(variable.Name!, Array.ConvertAll(values, v => (float)v)); break;
            case DType.F64: run.WriteVariable<double>(variable.Name!, values); break;
            case DType.I32: run.WriteVariable<int>(variable.Name!, Array.ConvertAll(values, v => checked((int)v))); break;
            default: throw new NotSupportedException($"cannot write variable '{variable.Name}' of {variable.Type}");
        }
    }
}
