using System.Buffers.Binary;
using StaticGraph.Backend;
using StaticGraph.Ops;
using StaticGraph.Passes;

namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// Plans a program for the CUDA backend: fuses elementwise chains, lays out the arena, and lowers every node in program
/// order into commands. Needs no device.
/// </summary>
public sealed class CudaPlanner
{
    private readonly Dictionary<Node, DeviceAddress> _addresses = [];
    private readonly List<CudaCommand> _commands = [];
    private long _scratchOffset;
    private long _scratchUsedByNode;
    private long _scratchBytes;
    private bool _usesLossScale;

    private CudaPlanner(GraphProgram program, CudaPlanOptions options)
    {
        Program = program;
        Options = options;
    }

    /// <summary>
    /// The dtypes of values the CUDA kernels compute and store: f32 and f64 (each kernel is generated for both) and i32.
    /// f16 and bf16 appear only inside mixed-precision commands, as converted copies in scratch, never as values.
    /// </summary>
    public static IReadOnlySet<DType> SupportedDTypes { get; } = new HashSet<DType> { DType.F32, DType.F64, DType.I32 };

    /// <summary>The program being planned.</summary>
    public GraphProgram Program { get; }

    /// <summary>The options planned with.</summary>
    public CudaPlanOptions Options { get; }

    /// <summary>
    /// Plans <paramref name="program"/> (with <see cref="CudaPlanOptions.Default"/> when <paramref name="options"/> is null); a
    /// value of a dtype outside <see cref="SupportedDTypes"/> is refused first, naming its node.
    /// </summary>
    public static CudaPlan Plan(GraphProgram program, CudaPlanOptions? options = null)
    {
        DTypeSupport.Require(program, "cuda", SupportedDTypes);
        return new CudaPlanner(program, options ?? CudaPlanOptions.Default).Build();
    }

    private CudaPlan Build()
    {
        var mode = Program.Mode;
        var fusion = ElementwiseFusion.Build(Program, n => CudaLoweringRegistry.IsElementwise(n.Op));
        var memory = MemoryPlan.Build(Program, fusion.ComputedBy);

        var offset = CudaPlan.ControlBytes;
        var constants = new List<ConstantSlot>();
        foreach (var n in Program.Nodes.Where(n => n.Op is ConstantOp))
        {
            var bytes = ConstantBytes((ConstantOp)n.Op);
            constants.Add(new ConstantSlot(n, DeviceAddress.Arena(offset), bytes));
            _addresses[n] = DeviceAddress.Arena(offset);
            offset = AlignUp(offset + Math.Max(bytes.Length, 1));
        }
        var activations = offset;
        _scratchOffset = AlignUp(activations + memory.ArenaBytes);

        foreach (var n in Program.Nodes)
        {
            if (fusion.IsInterior(n) || _addresses.ContainsKey(n)) continue;
            var storage = memory.StorageOf(n);
            if (storage.Op is VariableOp) _addresses[n] = new DeviceAddress(storage.Name!, 0);
            else if (storage.Op is ConstantOp) _addresses[n] = _addresses[storage];
            else if (memory.BufferOf(n) is { } b) _addresses[n] = DeviceAddress.Arena(activations + b.Offset);
        }

        foreach (var n in Program.Nodes)
        {
            // A projection of a multi-output node is written by its producer's commands.
            if (n.Op is InputOp or VariableOp or ConstantOp or OutputOp || n.Op.AliasOf(mode) is not null || fusion.IsInterior(n)) continue;
            _scratchUsedByNode = 0;
            var ctx = new LoweringContext(this, n);
            if (fusion.GroupOf(n) is { } group) FusedElementwiseKernel.Lower(ctx, group);
            else if (CudaLoweringRegistry.Get(n) is ICudaLowering lowering) lowering.Lower(ctx);
            else throw new NotSupportedException($"op '{n.Op.Name}' of {n} is elementwise but was not placed in a fused group");
        }

        var updates = Program.Updates
            .Select(u => GuardedUpdateKernel.Update(u.NewValue, AddressOf(u.NewValue), AddressOf(u.Variable)))
            .ToList();
        var guards = Program.Updates.Where(u => u.NewValue.DType.IsFloat())
            .Select(u => FiniteCheckKernel.Check(u.NewValue, AddressOf(u.NewValue))).ToList();
        return new CudaPlan(Program, fusion, memory, _addresses, constants, _commands, guards, updates, activations, _scratchOffset, _scratchBytes,
            Options, _usesLossScale);
    }

    internal DeviceAddress AddressOf(Node n) =>
        _addresses.TryGetValue(n, out var a) ? a
            : throw new InvalidOperationException($"{n} ({n.Op.Name}) has no place in device memory (it is computed inside a fused kernel)");

    internal DeviceAddress Scratch(long bytes)
    {
        var start = _scratchUsedByNode;
        _scratchUsedByNode = AlignUp(start + Math.Max(bytes, 1));
        _scratchBytes = Math.Max(_scratchBytes, _scratchUsedByNode);
        return DeviceAddress.Arena(_scratchOffset + start);
    }

    internal void Emit(CudaCommand command) => _commands.Add(command);

    internal void UseLossScale() => _usesLossScale = true;

    private static long AlignUp(long bytes) => (bytes + CudaPlan.Alignment - 1) / CudaPlan.Alignment * CudaPlan.Alignment;

    private static byte[] ConstantBytes(ConstantOp c)
    {
        var t = c.Type;
        var size = t.DType.SizeInBytes();
        var bytes = new byte[t.SizeInBytes];
        for (long i = 0; i < t.Shape.ElementCount; i++)
        {
            var span = bytes.AsSpan((int)(i * size), size);
            var v = c.ValueAt(i);
            switch (t.DType)
            {
                case DType.F32: BinaryPrimitives.WriteSingleLittleEndian(span, (float)v); break;
                case DType.F64: BinaryPrimitives.WriteDoubleLittleEndian(span, v); break;
                case DType.I32: BinaryPrimitives.WriteInt32LittleEndian(span, checked((int)v)); break;
                default: throw new NotSupportedException($"constants of {t.DType} are not supported by the CUDA backend");
            }
        }
        return bytes;
    }
}
