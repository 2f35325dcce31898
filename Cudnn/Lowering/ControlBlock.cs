using System.Buffers.Binary;

namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// The control block at the start of the arena, in one place for every writer and reader (the device executable, the
/// emulator): what the host writes before a run (seed, step, whether the update guard is on, the FP16 loss scale, with
/// both flags cleared) and the two flags the kernels may raise during it.
/// </summary>
public static class ControlBlock
{
    /// <summary>Bytes the host writes and reads.</summary>
    public const int Bytes = 32;

    /// <summary>Fills <paramref name="block"/> (at least <see cref="Bytes"/> long) for a run.</summary>
    public static void Write(Span<byte> block, ulong seed, long step, bool guardUpdates, float lossScale)
    {
        block[..Bytes].Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(block, seed);
        BinaryPrimitives.WriteInt64LittleEndian(block[8..], step);
        BinaryPrimitives.WriteUInt32LittleEndian(block[(int)GuardedUpdateKernel.GuardEnabledOffset..], guardUpdates ? 1u : 0u);
        // 1 without loss scaling, so that unscaled plans read a harmless value.
        BinaryPrimitives.WriteSingleLittleEndian(block[(int)CudaPlan.LossScaleOffset..], lossScale);
    }

    /// <summary>The flags a run left: a guard launch saw NaN or infinity; an FP16 conversion overflowed.</summary>
    public static (bool GuardTripped, bool Overflowed) Flags(ReadOnlySpan<byte> block) =>
        (BinaryPrimitives.ReadUInt32LittleEndian(block[(int)FiniteCheckKernel.FlagOffset..]) != 0,
         BinaryPrimitives.ReadUInt32LittleEndian(block[(int)CudaPlan.OverflowFlagOffset..]) != 0);
}
