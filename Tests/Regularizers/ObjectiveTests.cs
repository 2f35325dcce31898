using StaticGraph.Ops;
using StaticGraph.Regularizers;
using Xunit;

namespace StaticGraph.Tests.Regularizers;

/// <summary>The training objectives: plain and regularized cross-entropy, Dual-Cutout, and building them from options.</summary>
public class ObjectiveTests
{
    private const int N = 4, C = 1, H = 6, W = 6, K = 3, Pixels = C * H * W;
    private static readonly double[] Labels = [2, 0, 1, 2];
    private static readonly double[] WeightValues = Runs.Normal(7, Pixels * K);

    /// <summary>A linear model with fixed weights: logits = flatten(images) W.</summary>
    private static Func<Node, Node> Linear(GraphBuilder b) => images =>
        b.MatMul(b.Reshape(images, images.Shape[0], Pixels), b.Constant(WeightValues, DType.F64, Pixels, K));

    private static double[] Softmax(double[] row)
    {
        var max = row.Max();
        var e = row.Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => v / e.Sum()).ToArray();
    }

    private static double CrossEntropy(double[] logits, int label) => -Math.Log(Softmax(logits)[label]);

    [Fact]
    public void Dual_cutout_loss_is_the_mean_cross_entropy_of_both_views_plus_alpha_times_the_softmax_mse()
    {
        var b = new GraphBuilder(DType.F64);
        var images = b.Constant(Runs.Normal(1, N * Pixels), DType.F64, N, C, H, W);
        var objective = new DualCutoutObjective(alpha: 0.3, size: 3);
        var (loss, logits) = objective.Build(b, Linear(b), images, b.Constant(Labels, DType.I32, N), K);
        Assert.Equal(new Shape(N, K), logits.Shape);
        var all = b.Nodes.Single(n => n.Op is MatMulOp);
        Assert.Equal(new Shape(2 * N, K), all.Shape);
        var values = Runs.Values(ProgramMode.Training, [loss, all, logits]);
        var rows = values[1].Chunk(K).ToArray();
        double ce = 0, mse = 0;
        for (var n = 0; n < N; n++)
        {
            ce += CrossEntropy(rows[n], (int)Labels[n]) + CrossEntropy(rows[N + n], (int)Labels[n]);
            mse += Softmax(rows[n]).Zip(Softmax(rows[N + n]), (p, q) => (p - q) * (p - q)).Sum();
        }
        Assert.True(mse > 1e-6, "the two views should differ");
        Assert.Equal(0.5 * ce / N + 0.3 * mse / (N * K), values[0][0], 12);
        Assert.Equal(values[1].Take(N * K), values[2]);
        Assert.Equal(["dual_cutout.view1.boxes", "dual_cutout.view2.boxes"], b.Nodes.Where(n => n.Op is RandomOp).Select(n => n.Name!));
    }

    [Fact]
    public void Dual_cutout_logits_consistency_follows_hysts_mse_of_raw_outputs()
    {
        var b = new GraphBuilder(DType.F64);
        var images = b.Constant(Runs.Normal(2, N * Pixels), DType.F64, N, C, H, W);
        var (loss, _) = new DualCutoutObjective(alpha: 0.1, size: 3, consistency: DualCutoutConsistency.Logits).Build(b, Linear(b), images, b.Constant(Labels, DType.I32, N), K);
        var all = b.Nodes.Single(n => n.Op is MatMulOp);
        var values = Runs.Values(ProgramMode.Training, [loss, all]);
        var rows = values[1].Chunk(K).ToArray();
        double ce = 0, mse = 0;
        for (var n = 0; n < N; n++)
        {
            ce += CrossEntropy(rows[n], (int)Labels[n]) + CrossEntropy(rows[N + n], (int)Labels[n]);
            mse += rows[n].Zip(rows[N + n], (p, q) => (p - q) * (p - q)).Sum();
        }
        Assert.Equal(0.5 * ce / N + 0.1 * mse / (N * K), values[0][0], 12);
    }

    [Theory]
    [InlineData("dual-cutout")]
    [InlineData("mixup+cutout")]
    [InlineData("ricap+erasing")]
    public void Objective_gradients_with_respect_to_the_images_match_central_differences(string kind)
    {
        ITrainingObjective objective = kind switch
        {
            "dual-cutout" => new DualCutoutObjective(alpha: 0.5, size: 3),
            "mixup+cutout" => new CrossEntropyObjective([new Cutout(3), new Mixup()], 0.1),
            _ => new CrossEntropyObjective([new RandomErasing(p: 1), new Ricap()]),
        };
        Runs.CheckGradients((b, x) => objective.Build(b, Linear(b), x[0], b.Constant(Labels, DType.I32, N), K).Loss, [[N, C, H, W]]);
    }

    [Fact]
    public void Plain_cross_entropy_equals_the_loss_op_and_inference_needs_no_draws()
    {
        var b = new GraphBuilder(DType.F64);
        var images = b.Constant(Runs.Normal(3, N * Pixels), DType.F64, N, C, H, W);
        var (loss, logits) = new CrossEntropyObjective([new Cutout(2), new CutMix()], 0.1).Build(b, Linear(b), images, b.Constant(Labels, DType.I32, N), K);
        Assert.DoesNotContain(GraphProgram.Inference(logits).Nodes, n => n.Op is RandomOp);
        var inference = Runs.Value(ProgramMode.Inference, logits).Chunk(K).ToArray();
        var flat = Runs.Normal(3, N * Pixels);
        for (var n = 0; n < N; n++)
            for (var k = 0; k < K; k++)
                Assert.Equal(Enumerable.Range(0, Pixels).Sum(i => flat[n * Pixels + i] * WeightValues[i * K + k]), inference[n][k], 10);
        Assert.True(double.IsFinite(Runs.Value(ProgramMode.Training, loss)[0]));
    }

    [Fact]
    public void Options_build_the_objective_in_hysts_order()
    {
        var objective = RegularizerCatalog.Objective(RegularizerSettings.None.With("cutout", 8).With("random-erasing", 0.5).With("mixup", 1).With("label-smoothing", 0.1));
        var ce = Assert.IsType<CrossEntropyObjective>(objective);
        Assert.Collection(ce.Regularizers, r => Assert.IsType<RandomErasing>(r), r => Assert.Equal(8, Assert.IsType<Cutout>(r).Size), r => Assert.IsType<Mixup>(r));
        Assert.Equal(0.1, ce.LabelSmoothing);
        Assert.Contains("cutout(size=8)", objective.ToString());
        var dual = Assert.IsType<DualCutoutObjective>(RegularizerCatalog.Objective(RegularizerSettings.None.With("dual-cutout", 0.1, ("size", 12))));
        Assert.Equal((0.1, 12), (dual.Alpha, dual.Size));
        Assert.Empty(Assert.IsType<CrossEntropyObjective>(RegularizerCatalog.Objective(RegularizerSettings.None)).Regularizers);
    }

    [Theory]
    [InlineData("mixup+cutmix", "mixup and cutmix cannot be combined")]
    [InlineData("mixup+cutmix+ricap", "mixup and cutmix and ricap cannot be combined")]
    [InlineData("ricap+dual", "ricap and dual-cutout cannot be combined")]
    [InlineData("cutout+dual", "cutout and dual-cutout cannot be combined")]
    [InlineData("smoothing", "label-smoothing: eps must be a number in [0, 1), got '1'")]
    [InlineData("mixup0", "mixup: alpha must be a number > 0, got '0'")]
    [InlineData("cutout0", "cutout: size must be an integer >= 1, got '0'")]
    [InlineData("unknown", "unknown regularizer 'cutot'; known: cutout, random-erasing")]
    [InlineData("parameter", "cutout has no parameter 'side' (its parameters: size, inside)")]
    [InlineData("shake", "shake: forward must be shake or even, got 'keep'")]
    public void Options_that_make_no_sense_are_refused_clearly(string kind, string message)
    {
        var none = RegularizerSettings.None;
        Func<RegularizerSettings> options = kind switch
        {
            "mixup+cutmix" => () => none.With("mixup", 1).With("cutmix", 1),
            "mixup+cutmix+ricap" => () => none.With("mixup", 1).With("cutmix", 1).With("ricap", 0.3),
            "ricap+dual" => () => none.With("ricap", 0.3).With("dual-cutout", 0.1),
            "cutout+dual" => () => none.With("cutout", 16).With("dual-cutout", 0.1),
            "smoothing" => () => none.With("label-smoothing", 1),
            "mixup0" => () => none.With("mixup", 0),
            "unknown" => () => none.With("cutot", 16),
            "parameter" => () => none.With("cutout", null, ("side", 16)),
            // Keep reuses the forward coefficient backward: it is no forward mode.
            "shake" => () => none.With("shake", null, ("forward", "keep")),
            _ => () => none.With("cutout", 0),
        };
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => RegularizerCatalog.Objective(options())).Message);
    }

    public static TheoryData<string> OptionSets => new(["plain", "cutout+erasing+mixup", "cutmix+smoothing", "ricap", "dual-cutout"]);

    [Theory]
    [MemberData(nameof(OptionSets))]
    public void Every_objective_trains_a_resnet_in_f32_and_evaluates_without_draws(string kind)
    {
        var none = RegularizerSettings.None;
        var options = kind switch
        {
            "plain" => none,
            "cutout+erasing+mixup" => none.With("cutout", 4).With("random-erasing", 0.5).With("mixup", 1),
            "cutmix+smoothing" => none.With("cutmix", 1).With("label-smoothing", 0.1),
            "ricap" => none.With("ricap", 0.3),
            _ => none.With("dual-cutout", 0.1, ("size", 4)),
        };
        var b = new GraphBuilder(DType.F32);
        var images = b.Input("image", DType.F32, 4, 1, 8, 8);
        var labels = b.Input("label", DType.I32, 4);
        var (loss, logits) = RegularizerCatalog.Objective(options).Build(b,
            x => StaticGraph.Models.ResNetPreact.Build(b, x, 3, new StaticGraph.Models.ResNetPreactOptions(Depth: 8, BaseChannels: 4)), images, labels, 3);
        var program = Autodiff.Train(loss, new Sgd(), Schedule.Constant(0.05), logits);
        using var training = StaticGraph.Backend.Cpu.CpuBackend.Instance.Compile(program, new StaticGraph.Backend.CompileOptions(Seed: 1, Threads: 2));
        var inferenceProgram = GraphProgram.Inference(logits);
        Assert.DoesNotContain(inferenceProgram.Nodes, n => n.Op is RandomOp);
        using var inference = StaticGraph.Backend.Cpu.CpuBackend.Instance.Compile(inferenceProgram, new StaticGraph.Backend.CompileOptions(Seed: 1, Threads: 2, ShareVariablesWith: training));
        var pixels = Runs.Normal(9, 4 * 64).Select(v => (float)v).ToArray();
        for (var step = 0; step < 3; step++)
        {
            training.SetInput<float>("image", pixels);
            training.SetInput<int>("label", new[] { 0, 1, 2, 1 });
            training.Run();
            Assert.True(float.IsFinite(training.Read<float>(loss)[0]), $"step {step}: the loss is not finite");
        }
        inference.SetInput<float>("image", pixels);
        inference.Run();
        Assert.All(inference.Read<float>(logits), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_model_with_the_wrong_logits_is_refused()
    {
        var b = new GraphBuilder(DType.F64);
        var images = b.Input("x", DType.F64, N, C, H, W);
        var e = Assert.Throws<GraphBuildException>(() => new CrossEntropyObjective([]).Build(b, x => b.Reshape(x, N, Pixels), images, b.Input("y", DType.I32, N), K));
        Assert.Contains("[4,3]", e.Message);
        Assert.Contains("f64[4,36]", e.Message);
    }
}
