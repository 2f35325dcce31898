using System.Globalization;
using StaticGraph.Cuda.Kernels;

namespace StaticGraph.Cuda.Lowering;

/// <summary>The kinds of value a kernel argument holds.</summary>
public enum KernelArgKind
{
    /// <summary>A device pointer (resolved from a <see cref="DeviceAddress"/> when the plan is materialised).</summary>
    Pointer,
    /// <summary><c>int</c></summary>
    Int32,
    /// <summary><c>unsigned int</c></summary>
    UInt32,
    /// <summary><c>long long</c></summary>
    Int64,
    /// <summary><c>unsigned long long</c></summary>
    UInt64,
    /// <summary><c>float</c></summary>
    Float32,
    /// <summary><c>double</c></summary>
    Float64,
    /// <summary><c>sg_dims</c>: <see cref="KernelTypes.MaxRank"/> <c>long long</c> values by value.</summary>
    Dims,
}

/// <summary>One argument of a kernel launch, by value; pointers stay symbolic until the plan is materialised.</summary>
public sealed record KernelArg
{
    private KernelArg(KernelArgKind kind, long integer = 0, double real = 0, DeviceAddress address = default, long[]? dims = null)
    {
        Kind = kind;
        Integer = integer;
        Real = real;
        Address = address;
        DimValues = dims;
    }

    /// <summary>What the argument is.</summary>
    public KernelArgKind Kind { get; }

    /// <summary>The value of integer kinds.</summary>
    public long Integer { get; }

    /// <summary>The value of floating kinds.</summary>
    public double Real { get; }

    /// <summary>The place a pointer argument points to.</summary>
    public DeviceAddress Address { get; }

    /// <summary>The values of a dims argument (padded with zeros to <see cref="KernelTypes.MaxRank"/>).</summary>
    public long[]? DimValues { get; }

    /// <summary>Bytes the value occupies in the argument block.</summary>
    public int Size => Kind switch
    {
        KernelArgKind.Int32 or KernelArgKind.UInt32 or KernelArgKind.Float32 => 4,
        KernelArgKind.Dims => 8 * KernelTypes.MaxRank,
        _ => 8,
    };

    /// <summary>A pointer to <paramref name="address"/>.</summary>
    public static KernelArg Pointer(DeviceAddress address) => new(KernelArgKind.Pointer, address: address);

    /// <summary>An <c>int</c>.</summary>
    public static KernelArg I32(int value) => new(KernelArgKind.Int32, value);

    /// <summary>An <c>unsigned int</c>.</summary>
    public static KernelArg U32(uint value) => new(KernelArgKind.UInt32, value);

    /// <summary>A <c>long long</c>.</summary>
    public static KernelArg I64(long value) => new(KernelArgKind.Int64, value);

    /// <summary>An <c>unsigned long long</c>.</summary>
    public static KernelArg U64(ulong value) => new(KernelArgKind.UInt64, unchecked((long)value));

    /// <summary>A <c>float</c>.</summary>
    public static KernelArg F32(float value) => new(KernelArgKind.Float32, real: value);

    /// <summary>A <c>double</c>.</summary>
    public static KernelArg F64(double value) => new(KernelArgKind.Float64, real: value);

    /// <summary>A real scalar in the kernel's element type (<c>float</c> or <c>double</c>).</summary>
    public static KernelArg Scalar(KernelType type, double value) => type == KernelType.F32 ? F32((float)value) : F64(value);

    /// <summary>An <c>sg_dims</c> struct holding <paramref name="values"/> (at most <see cref="KernelTypes.MaxRank"/>).</summary>
    public static KernelArg Dims(IReadOnlyList<long> values)
    {
        if (values.Count > KernelTypes.MaxRank)
            throw new NotSupportedException($"a kernel takes at most rank {KernelTypes.MaxRank}, got {values.Count} extents");
        var padded = new long[KernelTypes.MaxRank];
        for (var i = 0; i < values.Count; i++) padded[i] = values[i];
        return new KernelArg(KernelArgKind.Dims, dims: padded);
    }

    /// <summary>Checks that this argument can be passed as <paramref name="parameter"/>; throws naming both when not.</summary>
    public void CheckAgainst(KernelParameter parameter, string kernel)
    {
        var type = parameter.CType.Replace("__restrict__", "", StringComparison.Ordinal).Trim();
        var fits = Kind switch
        {
            KernelArgKind.Pointer => type.EndsWith('*'),
            KernelArgKind.Int32 => type == "int",
            KernelArgKind.UInt32 => type == "unsigned int",
            KernelArgKind.Int64 => type == "long long",
            KernelArgKind.UInt64 => type == "unsigned long long",
            KernelArgKind.Float32 => type == "float",
            KernelArgKind.Float64 => type == "double",
            KernelArgKind.Dims => type == "sg_dims",
            _ => false,
        };
        if (!fits) throw new InvalidOperationException($"kernel {kernel}: argument {this} cannot be passed as parameter '{parameter}'");
    }

    /// <summary>Writes the value (pointers resolved by <paramref name="resolve"/>) at the start of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination, Func<DeviceAddress, ulong> resolve)
    {
        switch (Kind)
        {
            case KernelArgKind.Pointer: BitConverter.TryWriteBytes(destination, resolve(Address)); break;
            case KernelArgKind.Int32: BitConverter.TryWriteBytes(destination, (int)Integer); break;
            case KernelArgKind.UInt32: BitConverter.TryWriteBytes(destination, (uint)Integer); break;
            case KernelArgKind.Int64: BitConverter.TryWriteBytes(destination, Integer); break;
            case KernelArgKind.UInt64: BitConverter.TryWriteBytes(destination, unchecked((ulong)Integer)); break;
            case KernelArgKind.Float32: BitConverter.TryWriteBytes(destination, (float)Real); break;
            case KernelArgKind.Float64: BitConverter.TryWriteBytes(destination, Real); break;
            case KernelArgKind.Dims:
                for (var i = 0; i < KernelTypes.MaxRank; i++) BitConverter.TryWriteBytes(destination[(8 * i)..], DimValues![i]);
                break;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        KernelArgKind.Pointer => "&" + Address,
        KernelArgKind.Float32 or KernelArgKind.Float64 => Real.ToString("R", CultureInfo.InvariantCulture),
        KernelArgKind.Dims => "{" + string.Join(",", DimValues!) + "}",
        _ => Integer.ToString(CultureInfo.InvariantCulture),
    };
}
