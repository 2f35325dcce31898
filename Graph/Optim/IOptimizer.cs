namespace StaticGraph;

/// <summary>An optimizer expressed as graph ops: it turns a parameter and its gradient into state updates.</summary>
public interface IOptimizer
{
    /// <summary>
    /// Builds the update of <paramref name="parameter"/> given its <paramref name="gradient"/> and
    /// the scalar learning rate <paramref name="lr"/>; returns the assignments (the parameter's and
    /// those of any buffers the optimizer keeps as state variables).
    /// </summary>
    IEnumerable<StateUpdate> Update(GraphBuilder b, Node parameter, Node gradient, Node lr);
}
