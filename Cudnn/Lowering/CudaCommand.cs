using StaticGraph.Cuda.Kernels;
using StaticGraph.Cuda.Native;

namespace StaticGraph.Cuda.Lowering;

/// <summary>
/// One step of a planned program on the device. The list of commands is the whole program: a device executable issues
/// them in order on one stream (and captures them into a CUDA graph); the host emulator of the tests interprets the same
/// list, which is how the lowering is checked on machines without a GPU.
/// </summary>
/// <param name="Node">The node the command computes (or helps compute), for messages and profiles.</param>
public abstract record CudaCommand(Node? Node);

/// <summary>A launch of a generated kernel over <paramref name="Threads"/> logical threads (grid-stride, so any grid works).</summary>
/// <param name="Node">The node computed.</param>
/// <param name="Kernel">The kernel.</param>
/// <param name="Threads">How many threads the work has (the kernel's loop bound); the launch size is derived from it.</param>
/// <param name="Args">The arguments, one per kernel parameter.</param>
public sealed record LaunchCommand(Node? Node, CudaKernelSource Kernel, long Threads, IReadOnlyList<KernelArg> Args) : CudaCommand(Node)
{
    /// <summary>Threads per block of every launch.</summary>
    public const int BlockSize = 256;

    /// <summary>The most blocks a launch uses; grid-stride loops cover the rest.</summary>
    public const int MaxBlocks = 65536;

    /// <summary>Blocks of this launch.</summary>
    public uint Blocks => BlocksFor(Threads);

    /// <summary>Blocks of <see cref="BlockSize"/> threads for a grid-stride launch over <paramref name="threads"/> threads.</summary>
    public static uint BlocksFor(long threads) => (uint)Math.Clamp((threads + BlockSize - 1) / BlockSize, 1, MaxBlocks);
}

/// <summary>
/// The geometry of a 2-d convolution as cuDNN describes it: NCHW input, KCRS filter (C per group), cross-correlation.
/// </summary>
public sealed record ConvolutionGeometry(
    int N, int C, int H, int W, int K, int R, int S, int PadH, int PadW, int StrideH, int StrideW, int DilationH, int DilationW,
    int Groups, int OutH, int OutW)
{
    /// <summary>The input's extents (N, C, H, W).</summary>
    public int[] InputDims => [N, C, H, W];

    /// <summary>The filter's extents (K, C/groups, R, S).</summary>
    public int[] FilterDims => [K, C / Groups, R, S];

    /// <summary>The output's extents (N, K, OutH, OutW).</summary>
    public int[] OutputDims => [N, K, OutH, OutW];
}

/// <summary>
/// A cuDNN convolution. <paramref name="X"/>, <paramref name="W"/>, <paramref name="Y"/> are the input, filter and output of
/// the forward convolution whatever the direction: backward-data writes X from Y and W, backward-filter writes W from X and Y.
/// <paramref name="DType"/> is the data type of all three tensors, which is the node's dtype except in mixed precision,
/// where it is <see cref="StaticGraph.DType.BF16"/> or <see cref="StaticGraph.DType.F16"/> (converted copies in scratch).
/// The compute (accumulation) type follows from it: double for f64, float for everything else.
/// </summary>
public sealed record ConvolutionCommand(Node Node, ConvolutionDirection Direction, ConvolutionGeometry Geometry, DType DType,
    DeviceAddress X, DeviceAddress W, DeviceAddress Y) : CudaCommand(Node);

/// <summary>
/// A cuBLAS GEMM in cuBLAS's own column-major terms: C = alpha*op(A)*op(B) + beta*C with op(A) m×k, op(B) k×n, C m×n and
/// leading dimensions lda, ldb, ldc. <paramref name="DType"/> is C's type and the accumulation type; A and B have
/// <paramref name="InputDType"/> when given (16-bit operands of mixed precision, run by <c>cublasGemmEx</c> with f32
/// output and compute), else <paramref name="DType"/>.
/// </summary>
public sealed record GemmCommand(Node Node, DType DType, bool TransA, bool TransB, int M, int N, int K,
    DeviceAddress A, int Lda, DeviceAddress B, int Ldb, DeviceAddress C, int Ldc, double Alpha, double Beta, DType? InputDType = null) : CudaCommand(Node)
{
    /// <summary>The data type of A and B.</summary>
    public DType OperandDType => InputDType ?? DType;
}

/// <summary>A device-to-device copy (state updates, concatenation of contiguous blocks).</summary>
public sealed record CopyCommand(Node? Node, DeviceAddress From, DeviceAddress To, long Bytes) : CudaCommand(Node);
