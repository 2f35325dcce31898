namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// A compile-time vector count: kernels take it as a struct type argument so the JIT folds
/// <c>TCount.Value</c> to a constant and drops the unused accumulators of narrower tiles.
/// </summary>
internal interface IVectorCount
{
    static abstract int Value { get; }
}

internal readonly struct OneVector : IVectorCount
{
    public static int Value => 1;
}

internal readonly struct TwoVectors : IVectorCount
{
    public static int Value => 2;
}

internal readonly struct ThreeVectors : IVectorCount
{
    public static int Value => 3;
}
