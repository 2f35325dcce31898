namespace StaticGraph.Backend;

/// <summary>A node produced NaN or infinity.</summary>
public sealed class NonFiniteValueException(Node node, long step, double value)
    : Exception($"step {step}: {GraphPrinter.Line(node)} produced {value}")
{
    /// <summary>The first node that produced the value.</summary>
    public Node Node { get; } = node;

    /// <summary>The step at which it happened.</summary>
    public long Step { get; } = step;
}
