using System.Globalization;

namespace StaticGraph.Regularizers;

/// <summary>
/// The checked values of one regularizer's parameters (every parameter present: given, or its default), read by
/// the regularizer's definition to build it.
/// </summary>
public sealed class RegularizerArguments
{
    private readonly IReadOnlyDictionary<string, string> _values;

    internal RegularizerArguments(string regularizer, IReadOnlyDictionary<string, string> values)
    {
        Regularizer = regularizer;
        _values = values;
    }

    /// <summary>The regularizer these are for.</summary>
    public string Regularizer { get; }

    /// <summary>A whole-number parameter.</summary>
    public int Integer(string name) => int.Parse(Get(name), CultureInfo.InvariantCulture);

    /// <summary>A real parameter.</summary>
    public double Number(string name) => double.Parse(Get(name), CultureInfo.InvariantCulture);

    /// <summary>An on/off parameter.</summary>
    public bool Flag(string name) => Get(name) == "true";

    /// <summary>A choice parameter, in lower case.</summary>
    public string Choice(string name) => Get(name);

    private string Get(string name) =>
        _values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"{Regularizer} has no parameter '{name}'");
}
