namespace StaticGraph.Ops;

/// <summary>The elementwise functions of two operands (broadcasting like NumPy).</summary>
public enum BinaryFunction
{
    /// <summary>a + b</summary>
    Add,
    /// <summary>a - b</summary>
    Sub,
    /// <summary>a * b</summary>
    Mul,
    /// <summary>a / b</summary>
    Div,
    /// <summary>max(a, b)</summary>
    Max,
    /// <summary>min(a, b)</summary>
    Min,
    /// <summary>1 where a &gt; b, else 0.</summary>
    Greater,
    /// <summary>1 where a == b, else 0.</summary>
    Equal,
    /// <summary>b where a &gt; 0, else 0: relu's backward, a = relu input, b = output gradient.</summary>
    ReluBackward,
}
