using System.Globalization;
using System.Text.Json.Serialization;

namespace StaticGraph.Regularizers;

/// <summary>
/// The regularizers a run asks for, by name, each with the parameters given for it (as text, checked against the
/// definition when used): what the command line and recipes produce, what checkpoints keep. Immutable; equal when
/// they ask for the same.
/// </summary>
public sealed class RegularizerSettings : IEquatable<RegularizerSettings>
{
    private readonly SortedDictionary<string, SortedDictionary<string, string>> _chosen;

    /// <summary>Settings from their serialised form (regularizer → parameter → value).</summary>
    [JsonConstructor]
    public RegularizerSettings(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? chosen)
    {
        _chosen = new(StringComparer.Ordinal);
        foreach (var (name, values) in chosen ?? new Dictionary<string, IReadOnlyDictionary<string, string>>())
            _chosen[name] = new SortedDictionary<string, string>(values.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal);
    }

    /// <summary>No regularizer.</summary>
    public static RegularizerSettings None { get; } = new(null);

    /// <summary>Each regularizer asked for, with the parameters given for it.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Chosen =>
        _chosen.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, string>)kv.Value, StringComparer.Ordinal);

    /// <summary>The names asked for, in order.</summary>
    [JsonIgnore]
    public IReadOnlyList<string> Names => [.. _chosen.Keys];

    /// <summary>Whether <paramref name="name"/> is asked for.</summary>
    public bool Has(string name) => _chosen.ContainsKey(name);

    /// <summary>
    /// These settings with <paramref name="name"/> on: its primary parameter set to <paramref name="primary"/> (when
    /// given) and the named <paramref name="parameters"/> set too. Values are given as numbers, booleans or words.
    /// </summary>
    public RegularizerSettings With(string name, object? primary = null, params (string Parameter, object Value)[] parameters)
    {
        var definition = RegularizerCatalog.Get(name);
        var values = new SortedDictionary<string, string>(_chosen.TryGetValue(name, out var old) ? old : new(), StringComparer.Ordinal);
        if (primary is not null)
        {
            var p = definition.Parameters.FirstOrDefault(p => p.Primary)
                ?? throw new ArgumentException($"{name} has no primary parameter; name its parameters ({string.Join(", ", definition.Parameters.Select(p => p.Name))})");
            values[p.Name] = Text(primary);
        }
        foreach (var (parameter, value) in parameters) values[parameter] = Text(value);
        var copy = new RegularizerSettings(Chosen);
        copy._chosen[name] = values;
        return copy;
    }

    /// <summary>
    /// These settings with <paramref name="other"/> laid over them: each regularizer <paramref name="other"/> names is on,
    /// with the parameters it gives replacing these settings' values and the others kept (a recipe's regularizers, then
    /// the command line's).
    /// </summary>
    public RegularizerSettings Overlay(RegularizerSettings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = this;
        foreach (var (name, values) in other.Chosen)
            result = result.With(name, null, [.. values.Select(v => (v.Key, (object)v.Value))]);
        return result;
    }

    /// <summary>These settings without <paramref name="name"/>.</summary>
    public RegularizerSettings Without(string name)
    {
        var copy = new RegularizerSettings(Chosen);
        copy._chosen.Remove(name);
        return copy;
    }

    /// <summary>The checked arguments of <paramref name="name"/>, or null when it is not asked for.</summary>
    public RegularizerArguments? Arguments(string name) =>
        _chosen.TryGetValue(name, out var values) ? RegularizerCatalog.Check(RegularizerCatalog.Get(name), values) : null;

    /// <summary>A description such as <c>cutout(size=16) mixup(alpha=1)</c>; <c>none</c> when empty.</summary>
    public override string ToString() =>
        _chosen.Count == 0 ? "none" : string.Join(" ", _chosen.Select(c => $"{c.Key}({string.Join(", ", c.Value.Select(v => $"{v.Key}={v.Value}"))})"));

    /// <inheritdoc/>
    public bool Equals(RegularizerSettings? other) => other is not null && ToString() == other.ToString();

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as RegularizerSettings);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    private static string Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
