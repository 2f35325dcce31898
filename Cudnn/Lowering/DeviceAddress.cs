namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// A place in device memory, fixed when a program is planned: an offset into the program's arena (control block,
/// constants, activations, scratch), or into one variable's own allocation (variables can be shared between programs).
/// </summary>
/// <param name="Variable">The variable's name, or null for the arena.</param>
/// <param name="Offset">Byte offset from the start of the arena or the variable.</param>
public readonly record struct DeviceAddress(string? Variable, long Offset)
{
    /// <summary>An arena offset.</summary>
    public static DeviceAddress Arena(long offset) => new(null, offset);

    /// <summary>The same place moved by <paramref name="bytes"/>.</summary>
    public DeviceAddress Plus(long bytes) => this with { Offset = Offset + bytes };

    /// <inheritdoc/>
    public override string ToString() => Variable is null ? $"arena+{Offset}" : $"'{Variable}'+{Offset}";
}
