using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Nn;

public class BatchNormTests
{
    private const double Eps = 1e-5;

    private static readonly int[] XShape = [3, 4, 5, 3];
    private static readonly int[] ChannelShape = [4];

    private static double[][] Inputs(int[] xShape, int seed)
    {
        var channels = xShape[1];
        var x = TestValues.Uniform(TestValues.Count(xShape), seed, -2, 3);
        return
        [
            x,
            TestValues.Uniform(channels, seed + 1, 0.5, 2),     // gamma
            TestValues.Uniform(channels, seed + 2, -1, 1),      // beta
            TestValues.Uniform(channels, seed + 3, -0.5, 0.5),  // running mean
            TestValues.Uniform(channels, seed + 4, 0.5, 1.5),   // running variance
        ];
    }

    private static int[][] Shapes(int[] xShape) => [xShape, [xShape[1]], [xShape[1]], [xShape[1]], [xShape[1]]];

    private static Node BatchNorm(GraphBuilder b, Node[] i) => b.BatchNormRaw(i[0], i[1], i[2], i[3], i[4], Eps);

    /// <summary>The training-mode gradients of x, gamma and beta (the running statistics are fed, not differentiated).</summary>
    private static void CheckGradients(int[] shape, int seed) =>
        GradientChecker.Check(GradientProblem.Of("batch_norm (training)", Shapes(shape), Inputs(shape, seed), BatchNorm) with
        {
            Differentiate = [true, true, true, false, false],
            Mode = ProgramMode.Training,
        });

    [Fact]
    public void Training_mode_normalises_with_the_batch_mean_and_biased_variance()
    {
        var v = Inputs(XShape, seed: 1);
        var actual = OpRunner.RunF64(Shapes(XShape), v, BatchNorm, ProgramMode.Training);
        var (mean, variance) = NaiveReference.ChannelMoments(v[0], XShape, ddof: 0);
        var expected = NaiveReference.BatchNorm(v[0], XShape, v[1], v[2], mean, variance, Eps);
        AssertClose(expected, actual, 1e-12);
    }

    [Fact]
    public void Inference_mode_normalises_with_the_running_statistics()
    {
        var v = Inputs(XShape, seed: 2);
        var actual = OpRunner.RunF64(Shapes(XShape), v, BatchNorm, ProgramMode.Inference);
        var expected = NaiveReference.BatchNorm(v[0], XShape, v[1], v[2], v[3], v[4], Eps);
        AssertClose(expected, actual, 1e-12);
    }

    [Fact]
    public void A_rank_two_input_is_normalised_per_feature_column()
    {
        int[] shape = [7, 3];
        var v = Inputs(shape, seed: 3);
        var actual = OpRunner.RunF64(Shapes(shape), v, BatchNorm, ProgramMode.Training);
        var (mean, variance) = NaiveReference.ChannelMoments(v[0], shape, ddof: 0);
        AssertClose(NaiveReference.BatchNorm(v[0], shape, v[1], v[2], mean, variance, Eps), actual, 1e-12);
    }

    [Fact]
    public void Float32_statistics_stay_accurate_when_the_mean_dwarfs_the_spread()
    {
        // Sums in double and centring before scaling keep float32 close to the float64 result.
        int[] shape = [16, 2, 12, 12];
        var v = Inputs(shape, seed: 4);
        v[0] = v[0].Select(e => 1000 + e).ToArray();
        var rounded = TestValues.ToSingle(v[0]).Select(e => (double)e).ToArray();
        var actual = OpRunner.RunF32(Shapes(shape), v, (b, i) => [BatchNorm(b, i)], ProgramMode.Training)[0];
        var (mean, variance) = NaiveReference.ChannelMoments(rounded, shape, ddof: 0);
        var gamma = TestValues.ToSingle(v[1]).Select(e => (double)e).ToArray();
        var beta = TestValues.ToSingle(v[2]).Select(e => (double)e).ToArray();
        var expected = NaiveReference.BatchNorm(rounded, shape, gamma, beta, mean, variance, Eps);
        AssertClose(expected, actual.Select(e => (double)e).ToArray(), 1e-4);
    }

    [Fact]
    public void Training_gradients_of_input_scale_and_shift_match_central_differences()
    {
        int[] shape = [3, 2, 3, 4];
        CheckGradients(shape, seed: 5);
    }

    [Fact]
    public void Training_gradients_of_a_rank_two_input_match_central_differences()
    {
        int[] shape = [5, 3];
        CheckGradients(shape, seed: 6);
    }

    [Fact]
    public void No_gradient_flows_to_the_running_statistics()
    {
        var b = new GraphBuilder(DType.F64);
        var i = Shapes(XShape).Select((s, k) => b.Input("in" + k, DType.F64, s)).ToArray();
        var loss = b.SumAll(BatchNorm(b, i));
        var grads = Autodiff.Gradients(loss, i);
        Assert.True(grads.ContainsKey(i[0]) && grads.ContainsKey(i[1]) && grads.ContainsKey(i[2]));
        Assert.False(grads.ContainsKey(i[3]));
        Assert.False(grads.ContainsKey(i[4]));
    }

    [Fact]
    public void Forward_and_backward_are_bitwise_identical_with_one_and_two_threads()
    {
        int[] shape = [5, 6, 9, 11];
        var v = Inputs(shape, seed: 7);
        v = [.. v, TestValues.Uniform(TestValues.Count(shape), seed: 8)];
        int[][] shapes = [.. Shapes(shape), shape];
        (ulong[] Bits, string What)[] Run(int threads)
        {
            var b = new GraphBuilder();
            var i = shapes.Select((s, k) => b.Input(OpRunner.InputName(k), DType.F32, s)).ToArray();
            var (y, mean, variance) = b.BatchNormWithStatistics(i[0], i[1], i[2], i[3], i[4], Eps);
            var grads = Autodiff.Gradients(b.SumAll(b.Mul(y, i[5])), [i[0], i[1], i[2]]);
            Node[] outputs = [y, grads[i[0]], grads[i[1]], grads[i[2]], mean, variance];
            var program = GraphProgram.Create(ProgramMode.Training, outputs, [], null, null);
            using var run = CpuBackend.Instance.Compile(program, new CompileOptions(Threads: threads));
            for (var k = 0; k < v.Length; k++) run.SetInput<float>(OpRunner.InputName(k), TestValues.ToSingle(v[k]));
            run.Run();
            return outputs.Select(o => o.DType == DType.F64
                ? (run.Read<double>(o).Select(BitConverter.DoubleToUInt64Bits).ToArray(), o.ToString())
                : (run.Read<float>(o).Select(e => (ulong)BitConverter.SingleToUInt32Bits(e)).ToArray(), o.ToString())).ToArray();
        }
        var one = Run(1);
        var two = Run(2);
        for (var k = 0; k < one.Length; k++) Assert.True(one[k].Bits.SequenceEqual(two[k].Bits), $"output {k} ({one[k].What}) differs between 1 and 2 threads");
    }

    [Fact]
    public void The_statistics_outputs_are_the_batch_moments_in_training_and_the_running_statistics_in_inference()
    {
        var v = Inputs(XShape, seed: 10);
        Node[] Statistics(GraphBuilder b, Node[] i)
        {
            var (_, mean, variance) = b.BatchNormWithStatistics(i[0], i[1], i[2], i[3], i[4], Eps);
            return [mean, variance];
        }
        var training = OpRunner.RunF64(Shapes(XShape), v, Statistics, ProgramMode.Training);
        var (mean, variance) = NaiveReference.ChannelMoments(v[0], XShape, ddof: 0);
        AssertClose(mean, training[0], 1e-12);
        AssertClose(variance, training[1], 1e-12);
        var inference = OpRunner.RunF64(Shapes(XShape), v, Statistics, ProgramMode.Inference);
        Assert.Equal(v[3], inference[0]);
        Assert.Equal(v[4], inference[1]);
    }

    [Fact]
    public void Float32_batch_norm_keeps_its_statistics_in_float64()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 3, 4, 4);
        var c = b.Input("c", DType.F32, 3);
        var outputs = b.ApplyMulti(new BatchNormOp(), x, c, c, c, c);
        Assert.Equal(["f32[2,3,4,4]", "f64[3]", "f64[3]"], outputs.Select(o => o.Type.ToString()));
        Assert.Equal([outputs[0], outputs[0]], outputs.Skip(1).Select(o => o.Producer));
        Assert.Equal([0, 1, 2], outputs.Select(o => o.OutputIndex));
    }

    [Fact]
    public void Gradients_through_the_statistics_outputs_match_central_differences()
    {
        // A loss reading y, the batch mean and the batch variance: dx gathers all three paths.
        int[] shape = [3, 2, 3, 2];
        Node Apply(GraphBuilder b, Node[] i)
        {
            var (y, mean, variance) = b.BatchNormWithStatistics(i[0], i[1], i[2], i[3], i[4], Eps);
            var (m, s) = (b.Reshape(mean, 1, 2, 1, 1), b.Reshape(variance, 1, 2, 1, 1));
            return b.Add(b.Add(y, m), b.Mul(s, s));
        }
        GradientChecker.Check(GradientProblem.Of("batch_norm and its statistics", Shapes(shape), Inputs(shape, seed: 11), Apply) with
        {
            Differentiate = [true, true, true, false, false],
            Mode = ProgramMode.Training,
        });
    }

    [Fact]
    public void Gradients_of_the_statistics_alone_match_central_differences()
    {
        // No gradient reaches y: the backward op is not built, and dx comes from the statistics alone.
        int[] shape = [4, 3, 2, 1];
        Node Apply(GraphBuilder b, Node[] i)
        {
            var (_, mean, variance) = b.BatchNormWithStatistics(i[0], i[1], i[2], i[3], i[4], Eps);
            return b.Add(b.Square(mean), variance);
        }
        GradientChecker.Check(GradientProblem.Of("batch_norm's statistics", Shapes(shape), Inputs(shape, seed: 12), Apply) with
        {
            Differentiate = [true, false, false, false, false],
            Mode = ProgramMode.Training,
        });
        var b = new GraphBuilder(DType.F64);
        var i = Shapes(shape).Select((s, k) => b.Input("in" + k, DType.F64, s)).ToArray();
        var before = b.Nodes.Count;
        Autodiff.Gradients(b.SumAll(Apply(b, i)), [i[0]]);
        Assert.DoesNotContain(b.Nodes.Skip(before), n => n.Op is BatchNormBackwardOp);
    }

    [Fact]
    public void A_scale_of_the_wrong_length_fails_when_built_and_names_the_op_and_types()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 3, 4, 4);
        var good = b.Input("c", DType.F32, 3);
        var bad = b.Input("g", DType.F32, 5);
        var e = Assert.Throws<GraphBuildException>(() => b.BatchNormRaw(x, bad, good, good, good));
        Assert.Contains("batch_norm", e.Message);
        Assert.Contains("f32[2,3,4,4]", e.Message);
        Assert.Contains("f32[5]", e.Message);
        Assert.Contains("gamma of shape [3]", e.Message);
    }

    [Fact]
    public void A_vector_input_or_mixed_dtypes_fail_when_built()
    {
        var b = new GraphBuilder();
        var c = b.Input("c", DType.F32, 3);
        var e = Assert.Throws<GraphBuildException>(() => b.BatchNormRaw(c, c, c, c, c));
        Assert.Contains("rank 2 or more", e.Message);

        var x = b.Input("x", DType.F32, 2, 3);
        var d = b.Input("d", DType.F64, 3);
        e = Assert.Throws<GraphBuildException>(() => b.BatchNormRaw(x, c, c, c, d));
        Assert.Contains("f64[3]", e.Message);
        Assert.Contains("same dtype", e.Message);
    }

    [Fact]
    public void A_non_positive_eps_fails_when_built()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 3);
        var c = b.Input("c", DType.F32, 3);
        var e = Assert.Throws<GraphBuildException>(() => b.BatchNormRaw(x, c, c, c, c, eps: 0));
        Assert.Contains("eps > 0", e.Message);
    }

    [Fact]
    public void A_constant_channel_in_training_mode_gives_beta_rather_than_nan()
    {
        int[] shape = [2, 2, 2, 2];
        var v = Inputs(shape, seed: 9);
        for (var i = 0; i < v[0].Length; i++) if (i / 4 % 2 == 0) v[0][i] = 3.25;
        var y = OpRunner.RunF64(Shapes(shape), v, BatchNorm, ProgramMode.Training);
        for (var i = 0; i < y.Length; i++) if (i / 4 % 2 == 0) Assert.Equal(v[2][0], y[i], 12);
    }

    [Fact]
    public void The_backward_op_checks_the_gradient_and_statistics_types_when_built()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 3, 4, 4);
        var gamma = b.Input("g", DType.F32, 3);
        var dy = b.Input("dy", DType.F32, 2, 3, 4, 5);
        var stats = b.Input("s", DType.F64, 3);
        var single = b.Input("s32", DType.F32, 3);
        Conv2dTests.AssertNames(Assert.Throws<GraphBuildException>(() => b.Apply(new BatchNormBackwardOp(), x, gamma, dy, stats, stats)),
            "batch_norm_backward", "f32[2,3,4,5]", "the input's type f32[2,3,4,4]");
        Conv2dTests.AssertNames(Assert.Throws<GraphBuildException>(() => b.Apply(new BatchNormBackwardOp(), x, gamma, x, single, stats)),
            "batch_norm_backward", "f32[3]", "the batch mean to be the forward op's statistics output f64[3]");
        var outputs = b.ApplyMulti(new BatchNormBackwardOp(), x, gamma, x, stats, stats);
        Assert.Equal(["f32[2,3,4,4]", "f32[3]", "f32[3]"], outputs.Select(o => o.Type.ToString()));
    }

    [Fact]
    public void The_listing_shows_eps_and_each_statistics_output()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", DType.F32, 2, 3);
        var c = b.Input("c", DType.F32, 3);
        var y = b.BatchNormRaw(x, c, c, c, c);
        Assert.Equal("%2 = batch_norm(%0, %1, %1, %1, %1) eps=1e-05 : f32[2,3]", GraphPrinter.Line(y));
        Assert.Equal("%3 = output(%2) index=1 : f64[3]", GraphPrinter.Line(y.Outputs[1]));
        Assert.Equal("%4 = output(%2) index=2 : f64[3]", GraphPrinter.Line(y.Outputs[2]));
    }

    [Fact]
    public void The_backward_ops_refuse_second_order_gradients()
    {
        var b = new GraphBuilder(DType.F64);
        var x = b.Input("x", DType.F64, 4, 2);
        var c = b.Input("c", DType.F64, 2);
        var dx = Autodiff.Gradients(b.SumAll(b.Square(b.BatchNormRaw(x, c, c, c, c))), [x])[x];
        var e = Assert.Throws<NotSupportedException>(() => Autodiff.Gradients(b.SumAll(dx), [x]));
        Assert.Contains("second-order", e.Message);
    }

    internal static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(expected[i] - actual[i]) / Math.Max(1, Math.Abs(expected[i]));
            Assert.True(error <= tolerance, $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
