using System.Collections.Concurrent;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Backend;

/// <summary>
/// One cuDNN convolution call made ready: descriptors created, the algorithm chosen once per (direction, geometry, dtype,
/// determinism, TF32) by timing cuDNN's candidates on the real buffers (<c>cudnnFind…AlgorithmEx</c>) and cached for the
/// process, the descriptor's math type set to the chosen result's, and the workspace shared by all convolutions of the
/// executable (sized to the largest choice).
/// </summary>
internal sealed class ConvolutionRunner : ICommandRunner, IDisposable
{
    /// <summary>The most workspace an algorithm may ask for (cuDNN's fastest sometimes want gigabytes).</summary>
    public const long WorkspaceLimit = 512L << 20;

    private static readonly ConcurrentDictionary<(ConvolutionDirection, ConvolutionGeometry, DType, bool, bool), ConvolutionAlgoPerf> Chosen = new();

    private readonly CudaRuntime _runtime;
    private readonly CudnnTensorDescriptor _x;
    private readonly CudnnFilterDescriptor _w;
    private readonly CudnnTensorDescriptor _y;
    private readonly CudnnConvolutionDescriptor _conv;
    private readonly ulong _xPtr, _wPtr, _yPtr;
    private readonly ConvolutionAlgoPerf _algo;
    private readonly long _workspaceBytes;
    private ulong _workspace;

    private ConvolutionRunner(ConvolutionCommand command, CudaRuntime runtime, CudaOptions options, Func<DeviceAddress, ulong> resolve)
    {
        Command = command;
        _runtime = runtime;
        var g = command.Geometry;
        var type = command.DType switch
        {
            DType.F32 => CudnnDataType.Float,
            DType.F64 => CudnnDataType.Double,
            DType.F16 => CudnnDataType.Half,
            DType.BF16 => CudnnDataType.BFloat16,
            _ => throw new NotSupportedException($"cuDNN convolutions of {command.DType} are not supported ({command.Node})"),
        };
        // 16-bit data computes in float (cuDNN's PSEUDO_HALF / PSEUDO_BFLOAT16 configurations: f32 accumulation) with
        // tensor cores; f32 data uses FMA math unless TF32 is allowed; f64 computes in double.
        var compute = type == CudnnDataType.Double ? CudnnDataType.Double : CudnnDataType.Float;
        var math = type switch
        {
            CudnnDataType.Half or CudnnDataType.BFloat16 => CudnnMathType.TensorOp,
            CudnnDataType.Float when !options.AllowTf32 => CudnnMathType.Fma,
            _ => CudnnMathType.Default,
        };
        _x = CudnnTensorDescriptor.Create4d(type, g.N, g.C, g.H, g.W);
        _w = CudnnFilterDescriptor.Create4d(type, g.K, g.C / g.Groups, g.R, g.S);
        _y = CudnnTensorDescriptor.Create4d(type, g.N, g.K, g.OutH, g.OutW);
        _conv = CudnnConvolutionDescriptor.Create2d(g.PadH, g.PadW, g.StrideH, g.StrideW, g.DilationH, g.DilationW, compute, g.Groups, math);
        var expected = _conv.ForwardOutputShape(_x, _w);
        if (expected != (g.N, g.K, g.OutH, g.OutW))
            throw new InvalidOperationException($"cuDNN computes output {expected} for {command.Node}, whose type says [{g.N},{g.K},{g.OutH},{g.OutW}]");
        (_xPtr, _wPtr, _yPtr) = (resolve(command.X), resolve(command.W), resolve(command.Y));
        // FP32 without TF32 must run FMA math (the numerics contract), so only results measured with FMA math qualify; other
        // data types run the math type of the result chosen (tensor cores need TENSOR_OP math).
        var required = math == CudnnMathType.Fma ? CudnnMathType.Fma : (CudnnMathType?)null;
        _algo = Chosen.GetOrAdd((command.Direction, g, command.DType, options.Deterministic, options.AllowTf32), _ => Find(options.Deterministic, required));
        _conv.SetMathType(_algo.MathType);
        // The workspace of the algorithm under the math type now set, which is what will run: never less than the search said.
        _workspaceBytes = Math.Max(_algo.Memory, QueryWorkspace());
    }

    public ConvolutionCommand Command { get; }

    CudaCommand ICommandRunner.Command => Command;

    /// <summary>Workspace bytes the chosen algorithm needs.</summary>
    public long WorkspaceBytes => _workspaceBytes;

    /// <summary>Prepares <paramref name="command"/> (may time algorithms on the device; never during capture).</summary>
    public static ConvolutionRunner Prepare(ConvolutionCommand command, CudaRuntime runtime, CudaOptions options, Func<DeviceAddress, ulong> resolve) =>
        new(command, runtime, options, resolve);

    /// <summary>Uses <paramref name="workspace"/> (at least <see cref="WorkspaceBytes"/> long).</summary>
    public void UseWorkspace(DeviceBuffer? workspace) => _workspace = workspace?.Pointer ?? 0;

    public void Issue(CudaStream stream)
    {
        var h = _runtime.Cudnn;
        var bytes = _workspaceBytes;
        switch (Command.Direction)
        {
            case ConvolutionDirection.Forward:
                CudnnConvolution.Forward(h, 1, _x, _xPtr, _w, _wPtr, _conv, (CudnnConvolutionFwdAlgo)_algo.Algo, _workspace, bytes, 0, _y, _yPtr);
                break;
            case ConvolutionDirection.BackwardData:
                CudnnConvolution.BackwardData(h, 1, _w, _wPtr, _y, _yPtr, _conv, (CudnnConvolutionBwdDataAlgo)_algo.Algo, _workspace, bytes, 0, _x, _xPtr);
                break;
            default:
                CudnnConvolution.BackwardFilter(h, 1, _x, _xPtr, _y, _yPtr, _conv, (CudnnConvolutionBwdFilterAlgo)_algo.Algo, _workspace, bytes, 0, _w, _wPtr);
                break;
        }
    }

    public void Dispose()
    {
        _conv.Dispose();
        _y.Dispose();
        _w.Dispose();
        _x.Dispose();
    }

    private long QueryWorkspace()
    {
        var h = _runtime.Cudnn;
        return Command.Direction switch
        {
            ConvolutionDirection.Forward => CudnnConvolution.ForwardWorkspaceSize(h, _x, _w, _conv, _y, (CudnnConvolutionFwdAlgo)_algo.Algo),
            ConvolutionDirection.BackwardData => CudnnConvolution.BackwardDataWorkspaceSize(h, _w, _y, _conv, _x, (CudnnConvolutionBwdDataAlgo)_algo.Algo),
            _ => CudnnConvolution.BackwardFilterWorkspaceSize(h, _x, _y, _conv, _w, (CudnnConvolutionBwdFilterAlgo)_algo.Algo),
        };
    }

    private ConvolutionAlgoPerf Find(bool deterministic, CudnnMathType? requiredMath)
    {
        var h = _runtime.Cudnn;
        var (free, _) = CudaDriver.MemoryInfo();
        var limit = Math.Min(WorkspaceLimit, free / 4);
        using var scratch = DeviceBuffer.Allocate(Math.Max(limit, 256));
        var perfs = Command.Direction switch
        {
            ConvolutionDirection.Forward => CudnnConvolution.FindForward(h, _x, _xPtr, _w, _wPtr, _conv, _y, _yPtr, scratch.Pointer, limit),
            ConvolutionDirection.BackwardData => CudnnConvolution.FindBackwardData(h, _w, _wPtr, _y, _yPtr, _conv, _x, _xPtr, scratch.Pointer, limit),
            _ => CudnnConvolution.FindBackwardFilter(h, _x, _xPtr, _y, _yPtr, _conv, _w, _wPtr, scratch.Pointer, limit),
        };
        _runtime.Stream.Synchronize();
        return ConvolutionAlgorithms.Choose(Command.Direction, perfs, deterministic, limit, requiredMath);
    }
}
