using System.Collections;

namespace StaticGraph;

/// <summary>An immutable tensor shape (row-major, outermost dimension first). Rank 0 is a scalar.</summary>
public sealed class Shape : IEquatable<Shape>, IReadOnlyList<int>
{
    private readonly int[] _dims;

    /// <summary>Creates a shape; every dimension must be positive.</summary>
    public Shape(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        foreach (var d in dims)
        {
            if (d <= 0)
                throw new ArgumentException($"shape [{string.Join(",", dims)}] has a dimension {d}; dimensions must be positive", nameof(dims));
        }
        _dims = (int[])dims.Clone();
        long count = 1;
        foreach (var d in _dims) count = checked(count * d);
        ElementCount = count;
    }

    /// <summary>The scalar shape [].</summary>
    public static Shape Scalar { get; } = new();

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims.Length;

    /// <summary>Product of the dimensions (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>Dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int this[int axis] => _dims[Axis(axis)];

    /// <summary>Number of dimensions (for <see cref="IReadOnlyList{T}"/>).</summary>
    public int Count => _dims.Length;

    /// <summary>A copy of the dimensions.</summary>
    public int[] ToArray() => (int[])_dims.Clone();

    /// <summary>Normalises a possibly negative axis, failing with a clear message when out of range.</summary>
    public int Axis(int axis)
    {
        var a = axis < 0 ? axis + Rank : axis;
        if (a < 0 || a >= Rank)
            throw new ArgumentOutOfRangeException(nameof(axis), axis, $"axis {axis} is out of range for shape {this}");
        return a;
    }

    /// <summary>Row-major element strides.</summary>
    public long[] Strides()
    {
        var s = new long[Rank];
        long acc = 1;
        for (var i = Rank - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= _dims[i];
        }
        return s;
    }

    /// <summary>Product of dimensions in [start, end).</summary>
    public long Product(int start, int end)
    {
        long p = 1;
        for (var i = start; i < end; i++) p *= _dims[i];
        return p;
    }

    /// <summary>
    /// NumPy broadcasting: dimensions are aligned from the right; each pair must be equal or one of them 1.
    /// Returns null when the shapes do not broadcast.
    /// </summary>
    public static Shape? TryBroadcast(Shape a, Shape b)
    {
        var rank = Math.Max(a.Rank, b.Rank);
        var dims = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i < rank - a.Rank ? 1 : a._dims[i - (rank - a.Rank)];
            var db = i < rank - b.Rank ? 1 : b._dims[i - (rank - b.Rank)];
            if (da != db && da != 1 && db != 1) return null;
            dims[i] = Math.Max(da, db);
        }
        return new Shape(dims);
    }

    /// <inheritdoc/>
    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Shape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Value equality.</summary>
    public static bool operator ==(Shape? a, Shape? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(Shape? a, Shape? b) => !(a == b);

    /// <summary>Formats as [d0,d1,...].</summary>
    public override string ToString() => "[" + string.Join(",", _dims) + "]";

    /// <inheritdoc/>
    public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_dims).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();
}
