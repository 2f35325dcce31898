using StaticGraph.Ops;
using StaticGraph.Regularizers;
using Xunit;

namespace StaticGraph.Tests.Regularizers;

/// <summary>Cutout, Random Erasing, Mixup, CutMix, RICAP and label smoothing on a batch inside the graph.</summary>
public class BatchRegularizerTests
{
    private const int N = 6, C = 2, H = 5, W = 7, K = 4, Pixels = C * H * W;
    private static readonly double[] Labels = [0, 3, 1, 1, 2, 3];
    private static readonly double[] ImageValues = Runs.Normal(42, N * Pixels);

    private static (GraphBuilder B, TrainingBatch Batch) Batch()
    {
        var b = new GraphBuilder(DType.F64);
        return (b, new TrainingBatch(b.Constant(ImageValues, DType.F64, N, C, H, W), b.Constant(Labels, DType.I32, N)));
    }

    private static double Pixel(double[] images, int n, int c, int y, int x) => images[((n * C + c) * H + y) * W + x];

    private static double[] OneHot(double label) => Enumerable.Range(0, K).Select(k => k == (int)label ? 1.0 : 0.0).ToArray();

    /// <summary>The regularized images and targets flattened side by side, [N, C*H*W + K], so one gradient check covers both.</summary>
    private static Node Joined(GraphBuilder b, TrainingBatch batch) =>
        b.Concat(1, b.Reshape(batch.Images, N, Pixels), batch.Targets);

    public static TheoryData<string> Kinds => new(["cutout", "cutout-inside", "random-erasing", "random-erasing-zero", "mixup", "cutmix", "ricap", "label-smoothing"]);

    private static IBatchRegularizer Make(string kind) => kind switch
    {
        "cutout" => new Cutout(3),
        "cutout-inside" => new Cutout(3, inside: true),
        "random-erasing" => new RandomErasing(p: 1),
        "random-erasing-zero" => new RandomErasing(p: 1, fill: ErasingFill.Zero),
        "mixup" => new Mixup(),
        "cutmix" => new CutMix(),
        "ricap" => new Ricap(),
        "label-smoothing" => new LabelSmoothing(),
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Gradients_of_images_and_soft_targets_match_central_differences(string kind)
    {
        var targets = Enumerable.Range(0, N).SelectMany(n => { var r = Runs.Normal(n, K).Select(Math.Exp).ToArray(); return r.Select(v => v / r.Sum()); }).ToArray();
        Runs.CheckGradients((b, x) => Joined(b, Make(kind).Apply(b, new TrainingBatch(x[0], x[1]), K)), [[N, C, H, W], [N, K]], [ImageValues, targets]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Inference_is_the_identity_with_one_hot_targets(string kind)
    {
        var (b, batch) = Batch();
        var result = Make(kind).Apply(b, batch, K);
        var values = Runs.Values(ProgramMode.Inference, [result.Images, result.Targets]);
        Assert.Equal(ImageValues, values[0]);
        Assert.Equal(result.Targets.DType == DType.I32 ? Labels : Labels.SelectMany(OneHot).ToArray(), values[1]);
        Assert.DoesNotContain(GraphProgram.Inference(result.Images, result.Targets).Nodes, n => n.Op is RandomOp);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cutout_zeroes_exactly_its_clipped_box(bool inside)
    {
        var (b, batch) = Batch();
        var result = new Cutout(4, inside).Apply(b, batch, K);
        var values = Runs.Values(ProgramMode.Training, [result.Images, Runs.Named(b, "cutout.boxes")]);
        var (images, boxes) = (values[0], values[1]);
        var sawClipped = false;
        for (var n = 0; n < N; n++)
        {
            var (y0, x0, y1, x1) = ((int)boxes[4 * n], (int)boxes[4 * n + 1], (int)boxes[4 * n + 2], (int)boxes[4 * n + 3]);
            Assert.True(0 <= y0 && y0 < y1 && y1 <= H && 0 <= x0 && x0 < x1 && x1 <= W, $"image {n}: box ({y0},{x0},{y1},{x1}) is not a clipped box of the image");
            sawClipped |= y1 - y0 < 4 || x1 - x0 < 4;
            if (inside) Assert.True(y1 - y0 == 4 && x1 - x0 == 4);
            for (var c = 0; c < C; c++)
                for (var y = 0; y < H; y++)
                    for (var x = 0; x < W; x++)
                    {
                        var inBox = y >= y0 && y < y1 && x >= x0 && x < x1;
                        Assert.Equal(inBox ? 0 : Pixel(ImageValues, n, c, y, x), Pixel(images, n, c, y, x));
                    }
        }
        if (!inside) Assert.True(sawClipped, "with a side of 4 in a 5x7 image some box should be clipped");
    }

    [Theory]
    [InlineData(ErasingFill.Normal)]
    [InlineData(ErasingFill.Zero)]
    public void Random_erasing_fills_exactly_its_rectangle(ErasingFill fill)
    {
        var (b, batch) = Batch();
        var result = new RandomErasing(p: 0.5, fill: fill).Apply(b, batch, K);
        Node[] fetches = fill == ErasingFill.Normal ? [result.Images, Runs.Named(b, "random_erasing.boxes"), Runs.Named(b, "random_erasing.fill")] : [result.Images, Runs.Named(b, "random_erasing.boxes")];
        var values = Runs.Values(ProgramMode.Training, fetches, step: 2);
        var (images, boxes) = (values[0], values[1]);
        Assert.Contains(boxes.Chunk(4), box => box.All(v => v == 0));
        Assert.Contains(boxes.Chunk(4), box => box.Any(v => v != 0));
        for (var n = 0; n < N; n++)
            for (var c = 0; c < C; c++)
                for (var y = 0; y < H; y++)
                    for (var x = 0; x < W; x++)
                    {
                        var inBox = y >= boxes[4 * n] && y < boxes[4 * n + 2] && x >= boxes[4 * n + 1] && x < boxes[4 * n + 3];
                        var expected = !inBox ? Pixel(ImageValues, n, c, y, x) : fill == ErasingFill.Zero ? 0 : Pixel(values[2], n, c, y, x);
                        Assert.Equal(expected, Pixel(images, n, c, y, x));
                    }
    }

    [Fact]
    public void Mixup_blends_images_and_one_hot_targets_by_lam_with_a_permutation()
    {
        var (b, batch) = Batch();
        var result = new Mixup(0.4).Apply(b, batch, K);
        var values = Runs.Values(ProgramMode.Training, [result.Images, result.Targets, Runs.Named(b, "mixup.lam"), Runs.Named(b, "mixup.perm")]);
        var (images, targets, lam, perm) = (values[0], values[1], values[2][0], values[3].Select(v => (int)v).ToArray());
        Assert.Equal(Enumerable.Range(0, N), perm.Order());
        Assert.InRange(lam, 0, 1);
        for (var n = 0; n < N; n++)
        {
            for (var i = 0; i < Pixels; i++)
                Assert.Equal(lam * ImageValues[n * Pixels + i] + (1 - lam) * ImageValues[perm[n] * Pixels + i], images[n * Pixels + i], 12);
            var row = targets.Skip(n * K).Take(K).ToArray();
            Assert.Equal(1, row.Sum(), 12);
            var expected = OneHot(Labels[n]).Zip(OneHot(Labels[perm[n]]), (own, other) => lam * own + (1 - lam) * other).ToArray();
            Runs.Close(expected, row, 12);
        }
    }

    [Fact]
    public void Cutmix_pastes_one_box_and_weights_the_labels_by_its_clipped_area()
    {
        var sawClipped = false;
        for (var step = 0; step < 6; step++)
        {
            var (b, batch) = Batch();
            var result = new CutMix().Apply(b, batch, K);
            var values = Runs.Values(ProgramMode.Training, [result.Images, result.Targets, Runs.Named(b, "cutmix.box"), Runs.Named(b, "cutmix.perm"), Runs.Named(b, "cutmix.lam")], step: step);
            var (images, targets, box, perm) = (values[0], values[1], values[2].Select(v => (int)v).ToArray(), values[3].Select(v => (int)v).ToArray());
            var area = (box[2] - box[0]) * (box[3] - box[1]);
            var nominal = Math.Floor(H * Math.Sqrt(1 - values[4][0])) * Math.Floor(W * Math.Sqrt(1 - values[4][0]));
            sawClipped |= area < nominal;
            var kept = 1 - area / (double)(H * W);
            for (var n = 0; n < N; n++)
            {
                for (var c = 0; c < C; c++)
                    for (var y = 0; y < H; y++)
                        for (var x = 0; x < W; x++)
                        {
                            var inBox = y >= box[0] && y < box[2] && x >= box[1] && x < box[3];
                            Assert.Equal(Pixel(ImageValues, inBox ? perm[n] : n, c, y, x), Pixel(images, n, c, y, x));
                        }
                var row = targets.Skip(n * K).Take(K).ToArray();
                Assert.Equal(1, row.Sum(), 12);
                Runs.Close(OneHot(Labels[n]).Zip(OneHot(Labels[perm[n]]), (own, other) => kept * own + (1 - kept) * other).ToArray(), row, 12);
            }
        }
        Assert.True(sawClipped, "some step should clip its box at the image's edge");
    }

    [Fact]
    public void Ricap_patches_four_crops_and_weights_the_labels_by_their_areas()
    {
        var (b, batch) = Batch();
        var result = new Ricap().Apply(b, batch, K);
        Node[] perms = [.. Enumerable.Range(0, 4).Select(k => Runs.Named(b, $"ricap.perm{k}"))];
        var values = Runs.Values(ProgramMode.Training, [result.Images, result.Targets, Runs.Named(b, "ricap.layout"), .. perms]);
        var (images, targets, layout) = (values[0], values[1], values[2].Select(v => (int)v).ToArray());
        var p = Enumerable.Range(0, 4).Select(k => values[3 + k].Select(v => (int)v).ToArray()).ToArray();
        for (var n = 0; n < N; n++)
        {
            var expected = new double[K];
            for (var k = 0; k < 4; k++)
            {
                var (y0, x0, y1, x1, ty, tx) = (layout[6 * k], layout[6 * k + 1], layout[6 * k + 2], layout[6 * k + 3], layout[6 * k + 4], layout[6 * k + 5]);
                for (var c = 0; c < C; c++)
                    for (var y = y0; y < y1; y++)
                        for (var x = x0; x < x1; x++)
                            Assert.Equal(Pixel(ImageValues, p[k][n], c, y - ty, x - tx), Pixel(images, n, c, y, x));
                var weight = (y1 - y0) * (x1 - x0) / (double)(H * W);
                expected[(int)Labels[p[k][n]]] += weight;
            }
            var row = targets.Skip(n * K).Take(K).ToArray();
            Assert.Equal(1, row.Sum(), 12);
            Runs.Close(expected, row, 12);
        }
    }

    [Fact]
    public void Label_smoothing_mixes_targets_with_the_uniform_distribution()
    {
        var (b, batch) = Batch();
        var result = new LabelSmoothing(0.2).Apply(b, batch, K);
        var targets = Runs.Value(ProgramMode.Training, result.Targets);
        Runs.Close(Labels.SelectMany(l => OneHot(l).Select(t => 0.8 * t + 0.2 / K)).ToArray(), targets, 15);
    }

    [Fact]
    public void Batches_of_the_wrong_form_are_refused_naming_the_regularizer()
    {
        var b = new GraphBuilder(DType.F64);
        var images = b.Input("x", DType.F64, N, C, H, W);
        var e = Assert.Throws<GraphBuildException>(() => new Mixup().Apply(b, new TrainingBatch(images, b.Input("y", DType.I32, N + 1)), K));
        Assert.Contains("mixup 'mixup'", e.Message);
        Assert.Contains("i32[7]", e.Message);
        Assert.Contains("f64[6,4]", e.Message);
        e = Assert.Throws<GraphBuildException>(() => new Cutout().Apply(b, new TrainingBatch(b.Input("flat", DType.F64, N, 10), b.Input("l", DType.I32, N)), K));
        Assert.Contains("[N,C,H,W]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cutout(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Mixup(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RandomErasing(areaMin: 0.5, areaMax: 0.4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LabelSmoothing(1));
    }
}
