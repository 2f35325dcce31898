namespace StaticGraph.Ops;

/// <summary>How <see cref="BoxesOp"/> chooses the sides of its boxes.</summary>
public enum BoxSizing
{
    /// <summary>Cutout: every box is a square of a fixed side.</summary>
    FixedSize,

    /// <summary>CutMix: row r's box has sides floor(H * sqrt(1 - lam[r])) and floor(W * sqrt(1 - lam[r])), lam an input.</summary>
    AreaFraction,
}
