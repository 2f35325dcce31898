using StaticGraph.Data;
using Xunit;

namespace StaticGraph.Tests.Data;

public class BatchAssemblerTests
{
    private static readonly AugmentOptions CropAndFlip = new(RandomCrop: true, Padding: 4, HorizontalFlip: true, Normalize: true);

    private static ImageDataset RandomDataset(int count, int channels, int height, int width, int seed = 3)
    {
        var random = new System.Random(seed);
        var pixels = new byte[count * channels * height * width];
        random.NextBytes(pixels);
        int[] labels = Enumerable.Range(0, count).Select(i => i % 10).ToArray();
        float[] mean = Enumerable.Range(0, channels).Select(c => 0.2f + 0.1f * c).ToArray();
        float[] std = Enumerable.Range(0, channels).Select(c => 0.3f + 0.05f * c).ToArray();
        return new ImageDataset("random", pixels, labels, channels, height, width, 10, mean, std);
    }

    private static float[] Assemble(ImageDataset dataset, int[] indices, AugmentOptions options, ulong seed, long batchId)
    {
        var images = new float[indices.Length * dataset.ImageSize];
        var labels = new int[indices.Length];
        BatchAssembler.Assemble(dataset, indices, options, seed, batchId, images, labels);
        return images;
    }

    /// <summary>torchvision's recipe spelled out literally: pad with raw zeros, crop, flip, ToTensor, Normalize.</summary>
    private static float[] Reference(ImageDataset dataset, int index, ImageAugmentation augmentation, AugmentOptions options)
    {
        int p = options.RandomCrop ? options.Padding : 0;
        int h = dataset.Height, w = dataset.Width;
        var output = new float[dataset.ImageSize];
        ReadOnlySpan<byte> image = dataset.Image(index);
        for (int c = 0; c < dataset.Channels; c++)
        {
            var padded = new byte[h + 2 * p, w + 2 * p];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    padded[y + p, x + p] = image[(c * h + y) * w + x];
            int top = augmentation.ShiftY + p, left = augmentation.ShiftX + p;
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    int cropX = augmentation.Flip ? w - 1 - x : x;
                    float unit = padded[top + y, left + cropX] / 255f;
                    output[(c * h + y) * w + x] = options.Normalize ? (unit - dataset.Mean[c]) / dataset.Std[c] : unit;
                }
            }
        }
        return output;
    }

    [Fact]
    public void MatchesTheLiteralPadCropFlipNormaliseRecipe()
    {
        ImageDataset dataset = RandomDataset(count: 20, channels: 3, height: 7, width: 9);
        int[] indices = [4, 0, 19, 7, 7, 12, 3, 15];
        foreach (AugmentOptions options in (AugmentOptions[])[CropAndFlip, AugmentOptions.Evaluation, new(RandomCrop: true, Padding: 2), new(HorizontalFlip: true, Normalize: false)])
        {
            for (long batchId = 0; batchId < 5; batchId++)
            {
                float[] images = Assemble(dataset, indices, options, seed: 99, batchId);
                for (int position = 0; position < indices.Length; position++)
                {
                    var augmentation = ImageAugmentation.Draw(options, 99, batchId, position);
                    Assert.Equal(
                        Reference(dataset, indices[position], augmentation, options),
                        images.AsSpan(position * dataset.ImageSize, dataset.ImageSize).ToArray());
                }
            }
        }
    }

    [Fact]
    public void CropKeepsTheShapeAndWritesLabels()
    {
        ImageDataset dataset = RandomDataset(count: 10, channels: 1, height: 28, width: 28);
        int[] indices = [9, 1, 4];
        var images = new float[3 * 784];
        var labels = new int[3];

        BatchAssembler.Assemble(dataset, indices, CropAndFlip, 1, 0, images, labels);

        Assert.Equal([9, 1, 4], labels);
        Assert.All(images, v => Assert.True(float.IsFinite(v)));
        Assert.Throws<ArgumentException>(() => BatchAssembler.Assemble(dataset, indices, CropAndFlip, 1, 0, new float[3 * 784 + 1], labels));
        Assert.Throws<ArgumentException>(() => BatchAssembler.Assemble(dataset, indices, CropAndFlip, 1, 0, images, new int[2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchAssembler.Assemble(dataset, [10], CropAndFlip, 1, 0, new float[784], new int[1]));
    }

    [Fact]
    public void SameSeedAndBatchGiveTheSameOutputAndOthersDiffer()
    {
        ImageDataset dataset = RandomDataset(count: 64, channels: 1, height: 28, width: 28);
        int[] indices = Enumerable.Range(0, 64).ToArray();

        float[] first = Assemble(dataset, indices, CropAndFlip, seed: 5, batchId: 11);
        float[] again = Assemble(dataset, indices, CropAndFlip, seed: 5, batchId: 11);
        float[] otherSeed = Assemble(dataset, indices, CropAndFlip, seed: 6, batchId: 11);
        float[] otherBatch = Assemble(dataset, indices, CropAndFlip, seed: 5, batchId: 12);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.NotEqual(first, otherBatch);
    }

    [Fact]
    public void PaddingIsRawZeroNormalised()
    {
        // An all-white image shows exactly which pixels came from the padding.
        var dataset = new ImageDataset("white", Enumerable.Repeat((byte)255, 16 * 28 * 28).ToArray(), new int[16], 1, 28, 28, 10, [0.2860f], [0.3530f]);
        float[] images = Assemble(dataset, Enumerable.Range(0, 16).ToArray(), CropAndFlip, seed: 8, batchId: 0);
        float padding = (0f - 0.2860f) / 0.3530f, white = (1f - 0.2860f) / 0.3530f;

        for (int position = 0; position < 16; position++)
        {
            var augmentation = ImageAugmentation.Draw(CropAndFlip, 8, 0, position);
            int expectedPadded = 28 * 28 - (28 - Math.Abs(augmentation.ShiftY)) * (28 - Math.Abs(augmentation.ShiftX));
            var image = images.AsSpan(position * 784, 784).ToArray();
            Assert.Equal(expectedPadded, image.Count(v => v == padding));
            Assert.Equal(784 - expectedPadded, image.Count(v => v == white));
        }
    }

    [Fact]
    public void NormalisesAKnownPixel()
    {
        var dataset = new ImageDataset("one", [0, 51, 255, 128], [0], 1, 2, 2, 10, [0.2860f], [0.3530f]);

        float[] normalised = Assemble(dataset, [0], AugmentOptions.Evaluation, 0, 0);
        float[] unit = Assemble(dataset, [0], AugmentOptions.Evaluation with { Normalize = false }, 0, 0);

        Assert.Equal((0.2 - 0.2860) / 0.3530, normalised[1], 1e-5);
        Assert.Equal((1.0 - 0.2860) / 0.3530, normalised[2], 1e-5);
        Assert.Equal(-0.2860 / 0.3530, normalised[0], 1e-5);
        Assert.Equal([0f, 0.2f, 1f, 128f / 255f], unit);
    }

    [Fact]
    public void FlippingTwiceRestoresTheImage()
    {
        ImageDataset dataset = RandomDataset(count: 32, channels: 2, height: 5, width: 6);
        var flipOnly = new AugmentOptions(HorizontalFlip: true, Normalize: false);
        int[] indices = Enumerable.Range(0, 32).ToArray();

        float[] once = Assemble(dataset, indices, flipOnly, seed: 4, batchId: 2);
        byte[] oncePixels = once.Select(v => (byte)MathF.Round(v * 255f)).ToArray();
        var flippedDataset = new ImageDataset("flipped", oncePixels, dataset.Labels, 2, 5, 6, 10, dataset.Mean, dataset.Std);
        float[] twice = Assemble(flippedDataset, indices, flipOnly, seed: 4, batchId: 2);

        Assert.Equal(Assemble(dataset, indices, AugmentOptions.Evaluation with { Normalize = false }, 0, 0), twice);
        int flipped = indices.Count(p => ImageAugmentation.Draw(flipOnly, 4, 2, p).Flip);
        Assert.InRange(flipped, 1, 31);
    }

    [Fact]
    public void DrawsCoverEveryCropOffsetAndFlipAboutHalfTheTime()
    {
        var seen = new HashSet<(int, int)>();
        int flips = 0;
        const int draws = 20000;
        for (int position = 0; position < draws; position++)
        {
            var a = ImageAugmentation.Draw(CropAndFlip, 42, position / 128, position % 128);
            Assert.InRange(a.ShiftY, -4, 4);
            Assert.InRange(a.ShiftX, -4, 4);
            seen.Add((a.ShiftY, a.ShiftX));
            flips += a.Flip ? 1 : 0;
        }
        Assert.Equal(81, seen.Count);
        Assert.InRange(flips, draws / 2 - 500, draws / 2 + 500);
        Assert.Equal(new ImageAugmentation(0, 0, false), ImageAugmentation.Draw(AugmentOptions.Evaluation, 42, 3, 3));
    }

    [Fact]
    public void AssemblingAllocatesNothing()
    {
        ImageDataset dataset = RandomDataset(count: 16, channels: 3, height: 8, width: 8);
        int[] indices = Enumerable.Range(0, 16).ToArray();
        var images = new float[16 * dataset.ImageSize];
        var labels = new int[16];
        BatchAssembler.Assemble(dataset, indices, CropAndFlip, 1, 0, images, labels); // warm-up (JIT, statics)

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int batch = 1; batch < 20; batch++)
            BatchAssembler.Assemble(dataset, indices, CropAndFlip, 1, batch, images, labels);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
