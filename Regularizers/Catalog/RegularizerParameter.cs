using System.Globalization;

namespace StaticGraph.Regularizers;

/// <summary>The kinds of value a regularizer's parameter takes.</summary>
public enum ParameterKind
{
    /// <summary>A whole number.</summary>
    Integer,

    /// <summary>A real number.</summary>
    Number,

    /// <summary>On or off (<c>true</c>/<c>false</c>; given without a value it means on).</summary>
    Flag,

    /// <summary>One word of a fixed list.</summary>
    Choice,
}

/// <summary>
/// One parameter of a regularizer as users set it: its name, what it means, its default, and the values it accepts,
/// checked in one place (<see cref="Check"/>) whatever sets it: the command line, a recipe, a test.
/// </summary>
/// <param name="Name">The parameter's name, e.g. <c>size</c>.</param>
/// <param name="Kind">What kind of value it takes.</param>
/// <param name="Description">What it means, for help texts.</param>
public sealed record RegularizerParameter(string Name, ParameterKind Kind, string Description)
{
    /// <summary>Set by the regularizer's own option (<c>--cutout 16</c> sets cutout's size); at most one per regularizer.</summary>
    public bool Primary { get; init; }

    /// <summary>The value when the regularizer is on and this parameter is not given; null when it must be given.</summary>
    public string? Default { get; init; }

    /// <summary>The smallest accepted value (numbers).</summary>
    public double? Min { get; init; }

    /// <summary>Whether <see cref="Min"/> itself is refused.</summary>
    public bool MinExclusive { get; init; }

    /// <summary>The largest accepted value (numbers).</summary>
    public double? Max { get; init; }

    /// <summary>Whether <see cref="Max"/> itself is refused.</summary>
    public bool MaxExclusive { get; init; }

    /// <summary>The accepted words (choices), lower case.</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>A whole-number parameter of at least <paramref name="min"/>.</summary>
    public static RegularizerParameter Integer(string name, string description, int min, bool primary = false, int? @default = null) =>
        new(name, ParameterKind.Integer, description) { Min = min, Primary = primary, Default = @default?.ToString(CultureInfo.InvariantCulture) };

    /// <summary>A real parameter in the given range.</summary>
    public static RegularizerParameter Number(string name, string description, double min, double max, bool minExclusive = false, bool maxExclusive = false,
        bool primary = false, double? @default = null) =>
        new(name, ParameterKind.Number, description)
        {
            Min = min,
            Max = max,
            MinExclusive = minExclusive,
            MaxExclusive = maxExclusive,
            Primary = primary,
            Default = @default?.ToString("R", CultureInfo.InvariantCulture),
        };

    /// <summary>An on/off parameter, off unless given.</summary>
    public static RegularizerParameter Flag(string name, string description, bool @default = false) =>
        new(name, ParameterKind.Flag, description) { Default = @default ? "true" : "false" };

    /// <summary>A parameter taking one of <paramref name="choices"/>.</summary>
    public static RegularizerParameter Choice(string name, string description, string @default, params string[] choices) =>
        new(name, ParameterKind.Choice, description) { Default = @default, Choices = choices };

    /// <summary>What the accepted values are, in words: "an integer >= 1", "a number in (0, 1]", "shake, even or keep".</summary>
    public string Accepts => Kind switch
    {
        ParameterKind.Integer => $"an integer >= {Min?.ToString(CultureInfo.InvariantCulture) ?? "any"}",
        ParameterKind.Number when Max is double.PositiveInfinity => $"a number {(MinExclusive ? ">" : ">=")} {Format(Min!.Value)}",
        ParameterKind.Number => $"a number in {(MinExclusive ? "(" : "[")}{Format(Min!.Value)}, {Format(Max!.Value)}{(MaxExclusive ? ")" : "]")}",
        ParameterKind.Flag => "true or false",
        _ => Choices.Count == 1 ? Choices[0] : string.Join(", ", Choices.Take(Choices.Count - 1)) + " or " + Choices[^1],
    };

    /// <summary>
    /// The value <paramref name="text"/> in its normal form (numbers in invariant culture, choices in lower case), or an
    /// <see cref="ArgumentException"/> naming <paramref name="owner"/>, this parameter and what it accepts.
    /// </summary>
    public string Check(string owner, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        string? normal = Kind switch
        {
            ParameterKind.Integer when int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) && InRange(i)
                => i.ToString(CultureInfo.InvariantCulture),
            ParameterKind.Number when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) && InRange(d)
                => d.ToString("R", CultureInfo.InvariantCulture),
            ParameterKind.Flag when bool.TryParse(value, out var b) => b ? "true" : "false",
            ParameterKind.Choice when Choices.Contains(value.ToLowerInvariant()) => value.ToLowerInvariant(),
            _ => null,
        };
        return normal ?? throw new ArgumentException($"{owner}: {Name} must be {Accepts}, got '{text}'");
    }

    private bool InRange(double v) =>
        (Min is not { } lo || (MinExclusive ? v > lo : v >= lo)) && (Max is not { } hi || (MaxExclusive ? v < hi : v <= hi));

    private static string Format(double v) => double.IsPositiveInfinity(v) ? "inf" : v.ToString("G", CultureInfo.InvariantCulture);
}
