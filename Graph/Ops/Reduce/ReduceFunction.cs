namespace StaticGraph.Ops;

/// <summary>Reductions over axes.</summary>
public enum ReduceFunction
{
    /// <summary>Sum of the elements.</summary>
    Sum,
    /// <summary>Arithmetic mean.</summary>
    Mean,
    /// <summary>Largest element.</summary>
    Max,
}
