namespace StaticGraph;

/// <summary>
/// A node could not be built: wrong shapes, dtypes or attributes. The message names the op, the
/// inputs' types and what was expected, so the error points at the model code that built it.
/// </summary>
public sealed class GraphBuildException : Exception
{
    /// <summary>Creates the exception with a complete message.</summary>
    public GraphBuildException(string message) : base(message) { }
}
