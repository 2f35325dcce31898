using System.Numerics;

namespace StaticGraph.Backend.Cpu.Kernels;

/// <summary>
/// A SIMD register width seen through static abstract members, so every kernel is written once and the JIT
/// specialises it per width (the implementing types are structs, so calls are direct and inline away).
/// Implementations: <see cref="Simd512{T}"/>, <see cref="Simd256{T}"/> and the one-lane <see cref="SimdScalar{T}"/>.
/// </summary>
internal unsafe interface ISimd<T, TVector>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVector : struct
{
    /// <summary>Whether this width is hardware accelerated for <typeparamref name="T"/> on this machine.</summary>
    static abstract bool IsUsable { get; }

    /// <summary>Elements of <typeparamref name="T"/> per vector.</summary>
    static abstract int Lanes { get; }

    /// <summary>
    /// Rows of the GEMM micro-tile. 8 rows x 3 vectors = 24 accumulators fit the 32 registers of AVX-512;
    /// narrower widths use 4 rows so that 12 accumulators fit 16 registers.
    /// </summary>
    static abstract int TileRows { get; }

    static abstract TVector Zero { get; }

    static abstract TVector Load(T* source);

    /// <summary>Loads the first <paramref name="count"/> (1..Lanes) elements, zero elsewhere; never touches memory past them.</summary>
    static abstract TVector LoadPartial(T* source, int count);

    static abstract void Store(T* destination, TVector value);

    /// <summary>Stores the first <paramref name="count"/> (1..Lanes) elements; memory past them is not touched.</summary>
    static abstract void StorePartial(T* destination, TVector value, int count);

    static abstract TVector Broadcast(T value);

    /// <summary><c>left * right + addend</c> with a single rounding.</summary>
    static abstract TVector MultiplyAdd(TVector left, TVector right, TVector addend);

    static abstract TVector Add(TVector left, TVector right);

    static abstract TVector Subtract(TVector left, TVector right);

    /// <summary>The even-indexed elements of the concatenation <c>low, high</c> (a stride-2 gather of 2 * Lanes elements).</summary>
    static abstract TVector EvenLanes(TVector low, TVector high);

    /// <summary>The lower half of <paramref name="value"/> spread to even positions, zeros at odd ones (a stride-2 scatter).</summary>
    static abstract TVector SpreadLowerHalf(TVector value);

    /// <summary>The upper half of <paramref name="value"/> spread to even positions, zeros at odd ones.</summary>
    static abstract TVector SpreadUpperHalf(TVector value);

    /// <summary>The first <c>Lanes</c> elements of <c>even[0], odd[0], even[1], odd[1], ...</c> (a stride-2 merge).</summary>
    static abstract TVector InterleaveLower(TVector even, TVector odd);

    /// <summary>The next <c>Lanes</c> elements of the merge of <see cref="InterleaveLower"/>.</summary>
    static abstract TVector InterleaveUpper(TVector even, TVector odd);

    /// <summary>Sum of the lanes in a fixed order (so results are reproducible).</summary>
    static abstract T Sum(TVector value);

    /// <summary>
    /// Stores (or adds, when <paramref name="accumulate"/>) the lane sums of six vectors to six consecutive elements.
    /// Reducing them together shares the shuffles, which costs a fraction of six separate <see cref="Sum"/> calls.
    /// </summary>
    static abstract void StoreSums(T* destination, TVector s0, TVector s1, TVector s2, TVector s3, TVector s4, TVector s5, bool accumulate);
}
