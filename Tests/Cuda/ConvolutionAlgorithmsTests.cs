using StaticGraph.Cuda.Native;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>The algorithm choice from perf results: pure logic, no library.</summary>
public class ConvolutionAlgorithmsTests
{
    private const long Limit = 1 << 20;

    private static ConvolutionAlgoPerf Perf(int algo, int status = 0, long memory = 0, bool deterministic = true, CudnnMathType math = CudnnMathType.Default) =>
        new(algo, status, 1f, memory, deterministic ? CudnnDeterminism.Deterministic : CudnnDeterminism.NonDeterministic, math);

    [Fact]
    public void A_required_math_type_keeps_only_results_measured_with_it()
    {
        // cuDNN's search for FP32 data also reports results under tensor-core (TF32) and default math: with TF32 off only
        // the FMA results may run, the fastest of them first.
        ConvolutionAlgoPerf[] perfs = [Perf(6, math: CudnnMathType.TensorOp), Perf(1, math: CudnnMathType.Default), Perf(0, math: CudnnMathType.Fma), Perf(2, math: CudnnMathType.Fma)];
        Assert.Equal([0, 2], ConvolutionAlgorithms.Candidates(ConvolutionDirection.Forward, perfs, false, Limit, CudnnMathType.Fma).Select(p => p.Algo));
        Assert.Equal(6, ConvolutionAlgorithms.Choose(ConvolutionDirection.Forward, perfs, false, Limit).Algo);
        var e = Assert.Throws<NoConvolutionAlgorithmException>(() =>
            ConvolutionAlgorithms.Choose(ConvolutionDirection.Forward, perfs[..2], false, Limit, CudnnMathType.Fma));
        Assert.Contains("Fma math", e.Message);
        Assert.Contains("Winograd: measured with TensorOp math, but Fma will run", e.Message);
    }

    [Fact]
    public void First_successful_result_is_chosen_and_the_rest_are_fallbacks()
    {
        ConvolutionAlgoPerf[] perfs = [Perf(6, status: 3000), Perf(1), Perf(0), Perf(2)];
        Assert.Equal(1, ConvolutionAlgorithms.Choose(ConvolutionDirection.Forward, perfs, deterministic: false, Limit).Algo);
        Assert.Equal([1, 0, 2], ConvolutionAlgorithms.Candidates(ConvolutionDirection.Forward, perfs, false, Limit).Select(p => p.Algo));
    }

    [Fact]
    public void Deterministic_backward_data_excludes_algo_0()
    {
        ConvolutionAlgoPerf[] perfs = [Perf(0), Perf(1)];
        Assert.Equal(0, ConvolutionAlgorithms.Choose(ConvolutionDirection.BackwardData, perfs, deterministic: false, Limit).Algo);
        Assert.Equal(1, ConvolutionAlgorithms.Choose(ConvolutionDirection.BackwardData, perfs, deterministic: true, Limit).Algo);
    }

    [Fact]
    public void Deterministic_backward_filter_excludes_algo_0_and_algo_3()
    {
        ConvolutionAlgoPerf[] perfs = [Perf(0), Perf(3), Perf(5), Perf(1)];
        Assert.Equal([5, 1], ConvolutionAlgorithms.Candidates(ConvolutionDirection.BackwardFilter, perfs, true, Limit).Select(p => p.Algo));
        Assert.True(ConvolutionAlgorithms.AllowedWhenDeterministic(ConvolutionDirection.BackwardData, 3));
        Assert.False(ConvolutionAlgorithms.AllowedWhenDeterministic(ConvolutionDirection.BackwardFilter, 3));
        Assert.True(ConvolutionAlgorithms.AllowedWhenDeterministic(ConvolutionDirection.Forward, 0));
    }

    [Fact]
    public void Deterministic_mode_also_requires_the_reported_determinism()
    {
        ConvolutionAlgoPerf[] perfs = [Perf(1, deterministic: false), Perf(2)];
        Assert.Equal(1, ConvolutionAlgorithms.Choose(ConvolutionDirection.Forward, perfs, false, Limit).Algo);
        Assert.Equal(2, ConvolutionAlgorithms.Choose(ConvolutionDirection.Forward, perfs, true, Limit).Algo);
    }

    [Fact]
    public void Workspace_limit_is_inclusive_and_absurd_sizes_are_rejected()
    {
        ConvolutionAlgoPerf[] perfs = [Perf(4, memory: Limit + 1), Perf(5, memory: -1), Perf(6, memory: Limit), Perf(7, memory: 0)];
        Assert.Equal([6, 7], ConvolutionAlgorithms.Candidates(ConvolutionDirection.Forward, perfs, false, Limit).Select(p => p.Algo));
        Assert.Equal(7, ConvolutionAlgorithms.Choose(ConvolutionDirection.Forward, perfs, false, workspaceLimit: 0).Algo);
    }

    [Fact]
    public void No_candidate_gives_an_error_naming_every_rejection()
    {
        ConvolutionAlgoPerf[] perfs = [Perf(0), Perf(3, status: 3000), Perf(1, memory: 1L << 40), Perf(2, deterministic: false)];
        var e = Assert.Throws<NoConvolutionAlgorithmException>(() => ConvolutionAlgorithms.Choose(ConvolutionDirection.BackwardFilter, perfs, true, Limit));
        Assert.Contains("no BackwardFilter convolution algorithm qualifies", e.Message);
        Assert.Contains("deterministic: True", e.Message);
        Assert.Contains($"workspace limit {Limit} bytes", e.Message);
        Assert.Contains("Algo0: non-deterministic algorithm", e.Message);
        Assert.Contains("Algo3: status CUDNN_STATUS_NOT_SUPPORTED (3000)", e.Message);
        Assert.Contains($"Algo1: workspace {1L << 40} bytes > limit {Limit}", e.Message);
        Assert.Contains("Fft: reported non-deterministic", e.Message);
    }

    [Fact]
    public void Empty_results_give_a_clear_error()
    {
        var e = Assert.Throws<NoConvolutionAlgorithmException>(() => ConvolutionAlgorithms.Choose(ConvolutionDirection.Forward, [], false, Limit));
        Assert.Contains("cuDNN returned no perf results", e.Message);
    }
}
