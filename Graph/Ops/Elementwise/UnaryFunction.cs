namespace StaticGraph.Ops;

/// <summary>The elementwise functions of one operand.</summary>
public enum UnaryFunction
{
    /// <summary>-x</summary>
    Neg,
    /// <summary>e^x</summary>
    Exp,
    /// <summary>ln x</summary>
    Log,
    /// <summary>sqrt x</summary>
    Sqrt,
    /// <summary>1/x</summary>
    Reciprocal,
    /// <summary>x*x</summary>
    Square,
    /// <summary>|x|</summary>
    Abs,
    /// <summary>max(x, 0)</summary>
    Relu,
    /// <summary>1 when x &gt; 0, else 0 (the derivative of relu, and a mask).</summary>
    Step,
    /// <summary>-1, 0 or 1.</summary>
    Sign,
    /// <summary>1/(1+e^-x)</summary>
    Sigmoid,
    /// <summary>tanh x</summary>
    Tanh,
}
