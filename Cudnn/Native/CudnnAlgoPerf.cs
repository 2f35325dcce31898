using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

// The three perf-result structs of cudnn_cnn.h (cudnnConvolutionFwdAlgoPerf_t, ...BwdDataAlgoPerf_t, ...BwdFilterAlgoPerf_t)
// share one layout: algo int @0, status int @4, time float @8, (4 bytes padding), memory size_t @16, determinism int @24,
// mathType int @28, reserved int[3] @32, tail padding to 48 (8-byte alignment of size_t). Tests pin the size and offsets.

/// <summary><c>cudnnConvolutionFwdAlgoPerf_t</c> (48 bytes on x64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CudnnConvolutionFwdAlgoPerf
{
    /// <summary>The algorithm.</summary>
    public CudnnConvolutionFwdAlgo Algo;

    /// <summary>The <c>cudnnStatus_t</c> of this algorithm's trial (0: usable).</summary>
    public int Status;

    /// <summary>Measured time in milliseconds (Find) or an estimate (heuristics).</summary>
    public float Time;

    /// <summary>Workspace bytes the algorithm needs.</summary>
    public nuint Memory;

    /// <summary>Whether the algorithm is deterministic.</summary>
    public CudnnDeterminism Determinism;

    /// <summary>The math type to set on the convolution descriptor before running this algorithm.</summary>
    public CudnnMathType MathType;

    /// <summary>Reserved by cuDNN.</summary>
    public fixed int Reserved[3];

    /// <summary>The kind-independent view used by <see cref="ConvolutionAlgorithms"/>.</summary>
    public readonly ConvolutionAlgoPerf ToPerf() => new((int)Algo, Status, Time, ConvolutionAlgoPerf.ClampBytes(Memory), Determinism, MathType);
}

/// <summary><c>cudnnConvolutionBwdDataAlgoPerf_t</c> (48 bytes on x64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CudnnConvolutionBwdDataAlgoPerf
{
    /// <summary>The algorithm.</summary>
    public CudnnConvolutionBwdDataAlgo Algo;

    /// <summary>The <c>cudnnStatus_t</c> of this algorithm's trial (0: usable).</summary>
    public int Status;

    /// <summary>Measured time in milliseconds (Find) or an estimate (heuristics).</summary>
    public float Time;

    /// <summary>Workspace bytes the algorithm needs.</summary>
    public nuint Memory;

    /// <summary>Whether the algorithm is deterministic.</summary>
    public CudnnDeterminism Determinism;

    /// <summary>The math type to set on the convolution descriptor before running this algorithm.</summary>
    public CudnnMathType MathType;

    /// <summary>Reserved by cuDNN.</summary>
    public fixed int Reserved[3];

    /// <summary>The kind-independent view used by <see cref="ConvolutionAlgorithms"/>.</summary>
    public readonly ConvolutionAlgoPerf ToPerf() => new((int)Algo, Status, Time, ConvolutionAlgoPerf.ClampBytes(Memory), Determinism, MathType);
}

/// <summary><c>cudnnConvolutionBwdFilterAlgoPerf_t</c> (48 bytes on x64).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CudnnConvolutionBwdFilterAlgoPerf
{
    /// <summary>The algorithm.</summary>
    public CudnnConvolutionBwdFilterAlgo Algo;

    /// <summary>The <c>cudnnStatus_t</c> of this algorithm's trial (0: usable).</summary>
    public int Status;

    /// <summary>Measured time in milliseconds (Find) or an estimate (heuristics).</summary>
    public float Time;

    /// <summary>Workspace bytes the algorithm needs.</summary>
    public nuint Memory;

    /// <summary>Whether the algorithm is deterministic.</summary>
    public CudnnDeterminism Determinism;

    /// <summary>The math type to set on the convolution descriptor before running this algorithm.</summary>
    public CudnnMathType MathType;

    /// <summary>Reserved by cuDNN.</summary>
    public fixed int Reserved[3];

    /// <summary>The kind-independent view used by <see cref="ConvolutionAlgorithms"/>.</summary>
    public readonly ConvolutionAlgoPerf ToPerf() => new((int)Algo, Status, Time, ConvolutionAlgoPerf.ClampBytes(Memory), Determinism, MathType);
}

/// <summary>One perf result of any convolution direction, with the algorithm as its integer value.</summary>
/// <param name="Algo">The algorithm's enum value (<see cref="CudnnConvolutionFwdAlgo"/>, <see cref="CudnnConvolutionBwdDataAlgo"/> or <see cref="CudnnConvolutionBwdFilterAlgo"/>).</param>
/// <param name="Status">The <c>cudnnStatus_t</c> of the trial; only 0 is usable.</param>
/// <param name="TimeMs">Time in milliseconds.</param>
/// <param name="Memory">Workspace bytes (a size_t beyond <see cref="long.MaxValue"/> reads as <see cref="long.MaxValue"/>).</param>
/// <param name="Determinism">Whether the result is bitwise reproducible.</param>
/// <param name="MathType">The math type to set before running it.</param>
internal readonly record struct ConvolutionAlgoPerf(int Algo, int Status, float TimeMs, long Memory, CudnnDeterminism Determinism, CudnnMathType MathType)
{
    /// <summary>A size_t as a long, saturating (an absurd size must not wrap to a small or negative one).</summary>
    public static long ClampBytes(nuint bytes) => bytes > long.MaxValue ? long.MaxValue : (long)bytes;
}
