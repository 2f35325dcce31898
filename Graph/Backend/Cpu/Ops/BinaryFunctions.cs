using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>A binary elementwise function, scalar and vector forms giving identical bits.</summary>
internal interface IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Apply(T a, T b);

    static abstract Vector<T> Apply(Vector<T> a, Vector<T> b);
}

internal readonly struct AddFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a + b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => a + b;
}

internal readonly struct SubFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a - b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => a - b;
}

internal readonly struct MulFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a * b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => a * b;
}

internal readonly struct DivFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a / b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => a / b;
}

internal readonly struct MaxFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a >= b ? a : b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => Vector.ConditionalSelect(Vector.GreaterThanOrEqual(a, b), a, b);
}

internal readonly struct MinFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a <= b ? a : b;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => Vector.ConditionalSelect(Vector.LessThanOrEqual(a, b), a, b);
}

internal readonly struct GreaterFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a > b ? T.One : T.Zero;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => Vector.ConditionalSelect(Vector.GreaterThan(a, b), Vector<T>.One, Vector<T>.Zero);
}

internal readonly struct EqualFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a == b ? T.One : T.Zero;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => Vector.ConditionalSelect(Vector.Equals(a, b), Vector<T>.One, Vector<T>.Zero);
}

/// <summary>relu backward: b where a &gt; 0, else 0.</summary>
internal readonly struct ReluBackwardFn<T> : IBinaryFn<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => a > T.Zero ? b : T.Zero;
    public static Vector<T> Apply(Vector<T> a, Vector<T> b) => Vector.ConditionalSelect(Vector.GreaterThan(a, Vector<T>.Zero), b, Vector<T>.Zero);
}
