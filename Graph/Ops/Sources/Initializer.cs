using System.Globalization;

namespace StaticGraph.Ops;

/// <summary>
/// How a variable's first value is made. Random initialisers draw from Philox keyed by the run's
/// seed and the variable's name, so every backend starts from the same bits.
/// </summary>
public abstract record Initializer
{
    /// <summary>All zeros.</summary>
    public static Initializer Zeros { get; } = new ConstantInit(0);

    /// <summary>All ones.</summary>
    public static Initializer Ones { get; } = new ConstantInit(1);

    /// <summary>Every element equal to <paramref name="value"/>.</summary>
    public static Initializer Constant(double value) => new ConstantInit(value);

    /// <summary>Normal(0, std).</summary>
    public static Initializer Normal(double std) => new NormalInit(std);

    /// <summary>Uniform in [-bound, bound).</summary>
    public static Initializer Uniform(double bound) => new UniformInit(bound);

    /// <summary>He (Kaiming) normal with std sqrt(2 / fan).</summary>
    public static Initializer HeNormal(int fan) => new NormalInit(Math.Sqrt(2.0 / fan));
}

/// <summary>Every element equal to Value.</summary>
public sealed record ConstantInit(double Value) : Initializer
{
    /// <inheritdoc/>
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>Normal(0, Std).</summary>
public sealed record NormalInit(double Std) : Initializer
{
    /// <inheritdoc/>
    public override string ToString() => $"normal(0,{Std.ToString("G4", CultureInfo.InvariantCulture)})";
}

/// <summary>Uniform in [-Bound, Bound).</summary>
public sealed record UniformInit(double Bound) : Initializer
{
    /// <inheritdoc/>
    public override string ToString() => $"uniform(±{Bound.ToString("G4", CultureInfo.InvariantCulture)})";
}
