using StaticGraph.Cuda.Kernels;

namespace StaticGraph.Cuda.Lowering;

/// <summary>What a lowering sees: its node, where every value lives, and a way to emit commands and ask for scratch.</summary>
public sealed class LoweringContext
{
    private readonly CudaPlanner _planner;

    internal LoweringContext(CudaPlanner planner, Node node)
    {
        _planner = planner;
        Node = node;
    }

    /// <summary>The node lowered.</summary>
    public Node Node { get; }

    /// <summary>The program planned.</summary>
    public GraphProgram Program => _planner.Program;

    /// <summary>The options the program is planned with.</summary>
    public CudaPlanOptions Options => _planner.Options;

    /// <summary>
    /// The compute precision of this node's convolution or GEMM: <see cref="CudaPlanOptions.Precision"/> for f32 nodes,
    /// <see cref="ComputePrecision.F32"/> (meaning "the node's own dtype") for every other dtype, so f64 programs ignore it.
    /// </summary>
    public ComputePrecision Precision => Node.DType == DType.F32 ? Options.Precision : ComputePrecision.F32;

    /// <summary>Training or inference semantics.</summary>
    public ProgramMode Mode => _planner.Program.Mode;

    /// <summary>The kernel type of the node's output (F32 or F64).</summary>
    public KernelType Type => KernelTypes.Of(Node.DType);

    /// <summary>Where the node's output lives (output 0, the node's own value).</summary>
    public DeviceAddress Output => _planner.AddressOf(Node);

    /// <summary>Where output <paramref name="i"/> of a multi-output node lives (0 is <see cref="Output"/>; see <see cref="StaticGraph.Node.Outputs"/>).</summary>
    public DeviceAddress OutputAt(int i) => _planner.AddressOf(Node.Outputs[i]);

    /// <summary>A pointer argument to output <paramref name="i"/>.</summary>
    public KernelArg OutputArgAt(int i) => KernelArg.Pointer(OutputAt(i));

    /// <summary>Where input <paramref name="i"/> lives.</summary>
    public DeviceAddress Input(int i) => _planner.AddressOf(Node.Inputs[i]);

    /// <summary>Where any value of the program lives.</summary>
    public DeviceAddress AddressOf(Node n) => _planner.AddressOf(n);

    /// <summary>A pointer argument to the node's output.</summary>
    public KernelArg OutputArg => KernelArg.Pointer(Output);

    /// <summary>A pointer argument to input <paramref name="i"/>.</summary>
    public KernelArg InputArg(int i) => KernelArg.Pointer(Input(i));

    /// <summary>The pointer to the control block (seed and step, written before every run; see <see cref="KernelTypes.Control"/>).</summary>
    public KernelArg Control => KernelArg.Pointer(DeviceAddress.Arena(CudaPlan.ControlOffset));

    /// <summary>
    /// Scratch memory for this node's commands only (the next node may reuse it): <paramref name="bytes"/> bytes, aligned to
    /// <see cref="CudaPlan.Alignment"/>. Successive requests of one node get disjoint ranges.
    /// </summary>
    public DeviceAddress Scratch(long bytes) => _planner.Scratch(bytes);

    /// <summary>Emits a launch of <paramref name="kernel"/> over <paramref name="threads"/> threads; the arguments are checked against its parameters.</summary>
    public void Launch(CudaKernelSource kernel, long threads, params KernelArg[] args)
    {
        if (args.Length != kernel.Parameters.Count)
            throw new InvalidOperationException($"kernel {kernel.Name} takes {kernel.Parameters.Count} arguments, {Node} passed {args.Length}");
        for (var i = 0; i < args.Length; i++) args[i].CheckAgainst(kernel.Parameters[i], kernel.Name);
        _planner.Emit(new LaunchCommand(Node, kernel, threads, args));
    }

    /// <summary>Emits any other command (convolution, GEMM, copy).</summary>
    public void Emit(CudaCommand command) => _planner.Emit(command);

    /// <summary>Records that the plan reads the loss scale and overflow flag of the control block (FP16 conversions do).</summary>
    internal void UseLossScale() => _planner.UseLossScale();
}
