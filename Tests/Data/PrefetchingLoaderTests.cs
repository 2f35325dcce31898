using System.Diagnostics;
using System.Runtime.InteropServices;
using StaticGraph.Data;
using Xunit;

namespace StaticGraph.Tests.Data;

public class PrefetchingLoaderTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static ImageDataset RandomDataset(int count, int channels = 3, int height = 8, int width = 8)
    {
        var random = new System.Random(11);
        var pixels = new byte[count * channels * height * width];
        random.NextBytes(pixels);
        int[] labels = Enumerable.Range(0, count).Select(i => (i * 7) % 10).ToArray();
        float[] mean = Enumerable.Range(0, channels).Select(c => 0.4f + 0.02f * c).ToArray();
        float[] std = Enumerable.Range(0, channels).Select(c => 0.25f + 0.01f * c).ToArray();
        return new ImageDataset("random", pixels, labels, channels, height, width, 10, mean, std);
    }

    /// <summary>One batch from the synchronous path.</summary>
    private sealed record Expected(int Epoch, int Index, long Id, float[] Images, int[] Labels);

    /// <summary>What the training loop would do without the loader: a fresh plan, then assemble each batch in turn.</summary>
    private static List<Expected> Synchronous(
        ImageDataset dataset, BatchPlan settings, AugmentOptions options, int firstEpoch, int epochCount, int firstBatch)
    {
        var plan = new BatchPlan(settings.Count, settings.BatchSize, settings.Shuffle, settings.DropLast, settings.Seed);
        var batches = new List<Expected>();
        for (int epoch = firstEpoch; epoch < firstEpoch + epochCount; epoch++)
        {
            foreach (PlannedBatch batch in plan.StartEpoch(epoch))
            {
                if (epoch == firstEpoch && batch.Index < firstBatch)
                    continue;
                var images = new float[batch.Size * dataset.ImageSize];
                var labels = new int[batch.Size];
                BatchAssembler.Assemble(dataset, batch.Indices, options, settings.Seed, batch.Id, images, labels);
                batches.Add(new Expected(epoch, batch.Index, batch.Id, images, labels));
            }
        }
        return batches;
    }

    private static void AssertSame(Expected expected, PreparedBatch actual)
    {
        Assert.Equal((expected.Epoch, expected.Index, expected.Id), (actual.Epoch, actual.Index, actual.Id));
        Assert.Equal(expected.Labels.Length, actual.Size);
        Assert.Equal(expected.Labels, actual.Labels.ToArray());
        // Bitwise, not approximately: the loader must not change a single rounding.
        Assert.True(
            MemoryMarshal.AsBytes(expected.Images.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(actual.Images)),
            $"batch {expected.Id} differs from the synchronous path");
    }

    [Theory]
    [InlineData(37, 8, true, false, 0, 3, 0)]
    [InlineData(37, 8, true, true, 2, 2, 0)]
    [InlineData(20, 5, false, false, 0, 1, 0)]
    [InlineData(37, 8, true, false, 4, 2, 3)] // resumed in the middle of epoch 4
    [InlineData(5, 8, true, false, 0, 2, 0)] // one short batch per epoch
    public void EveryBatchIsBitwiseIdenticalToTheSynchronousPath(
        int count, int batchSize, bool shuffle, bool dropLast, int firstEpoch, int epochCount, int firstBatch)
    {
        ImageDataset dataset = RandomDataset(count);
        var plan = new BatchPlan(count, batchSize, shuffle, dropLast, seed: 2024);
        List<Expected> expected = Synchronous(dataset, plan, AugmentOptions.Training, firstEpoch, epochCount, firstBatch);

        using var loader = new PrefetchingLoader(dataset, plan, AugmentOptions.Training, firstEpoch, epochCount, firstBatch);

        Assert.Equal(expected.Count, loader.TotalBatches);
        int delivered = 0;
        while (loader.MoveNext())
            AssertSame(expected[delivered++], loader.Current);
        Assert.Equal(expected.Count, delivered);
        Assert.False(loader.MoveNext());
    }

    [Fact]
    public void TheCallersPlanIsNotDisturbed()
    {
        ImageDataset dataset = RandomDataset(30);
        var plan = new BatchPlan(30, 4, shuffle: true, dropLast: false, seed: 5);
        int[] before = plan.StartEpoch(1)[0].Indices.ToArray();

        using var loader = new PrefetchingLoader(dataset, plan, AugmentOptions.Training, firstEpoch: 0, epochCount: 5);
        while (loader.MoveNext())
        {
        }

        // The loader shuffled epochs 0..4 in its own copy; the caller's epoch-1 layout is untouched.
        Assert.Equal(before, plan.StartEpoch(1)[0].Indices.ToArray());
    }

    [Fact]
    public void TheNextBatchIsPreparedOnAnotherThreadWhileTheCallerHoldsTheCurrentOne()
    {
        ImageDataset dataset = RandomDataset(40);
        var plan = new BatchPlan(40, 4, shuffle: true, dropLast: true, seed: 9);
        List<Expected> expected = Synchronous(dataset, plan, AugmentOptions.Training, 0, 1, 0);
        using var secondStarted = new ManualResetEventSlim();
        using var thirdStarted = new ManualResetEventSlim();
        int producerThread = -1;
        using var loader = new PrefetchingLoader(dataset, plan, AugmentOptions.Training, 0, 1, 0, beforeBatch: ordinal =>
        {
            producerThread = Environment.CurrentManagedThreadId;
            if (ordinal == 1)
                secondStarted.Set();
            if (ordinal == 2)
                thirdStarted.Set();
        });

        Assert.True(loader.MoveNext());
        PreparedBatch held = loader.Current;
        // Batch 1 is being prepared during the caller's "step" on batch 0...
        Assert.True(secondStarted.Wait(Patience, TestContext.Current.CancellationToken), "batch 1 was not started while batch 0 was held");
        Assert.NotEqual(Environment.CurrentManagedThreadId, producerThread);
        // ...but batch 2 waits for a buffer, since the caller still holds batch 0's.
        Assert.False(thirdStarted.Wait(TimeSpan.FromMilliseconds(200), TestContext.Current.CancellationToken), "batch 2 was started with both buffers in use");
        AssertSame(expected[0], held);

        Assert.True(loader.MoveNext());
        Assert.NotSame(held, loader.Current);
        AssertSame(expected[1], loader.Current);
        Assert.True(thirdStarted.Wait(Patience, TestContext.Current.CancellationToken), "batch 2 was not started once batch 0's buffer came back");
    }

    [Fact]
    public void AProducerExceptionSurfacesInTheConsumerAfterTheBatchesBeforeIt()
    {
        ImageDataset dataset = RandomDataset(40);
        var plan = new BatchPlan(40, 4, shuffle: true, dropLast: true, seed: 9);
        List<Expected> expected = Synchronous(dataset, plan, AugmentOptions.Training, 0, 1, 0);
        var failure = new InvalidDataException("disk on fire");
        using var loader = new PrefetchingLoader(dataset, plan, AugmentOptions.Training, 0, 1, 0, beforeBatch: ordinal =>
        {
            if (ordinal == 3)
                throw failure;
        });

        for (int i = 0; i < 3; i++)
        {
            Assert.True(loader.MoveNext());
            AssertSame(expected[i], loader.Current);
        }
        var thrown = Assert.Throws<InvalidDataException>(() => loader.MoveNext());
        Assert.Same(failure, thrown);
        Assert.Contains(nameof(AProducerExceptionSurfacesInTheConsumerAfterTheBatchesBeforeIt), thrown.StackTrace);
        // It keeps saying so rather than pretending the epoch ended.
        Assert.Throws<InvalidDataException>(() => loader.MoveNext());
    }

    [Fact]
    public void AnAssemblerExceptionSurfacesWithItsType()
    {
        ImageDataset dataset = RandomDataset(10);
        var plan = new BatchPlan(10, 4, shuffle: false, dropLast: false, seed: 1);
        using var loader = new PrefetchingLoader(dataset, plan, new AugmentOptions(RandomCrop: true, Padding: -1), 0, 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => loader.MoveNext());
    }

    [Fact]
    public void DisposingStopsTheThreadPromptlyAndIsIdempotent()
    {
        ImageDataset dataset = RandomDataset(64);
        var plan = new BatchPlan(64, 8, shuffle: true, dropLast: true, seed: 3);
        var loader = new PrefetchingLoader(dataset, plan, AugmentOptions.Training, 0, epochCount: 1_000_000);
        Assert.True(loader.MoveNext());
        Assert.True(loader.MoveNext());

        var watch = Stopwatch.StartNew();
        loader.Dispose();
        Assert.True(watch.Elapsed < Patience, $"dispose took {watch.Elapsed}");
        loader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => loader.MoveNext());
        Assert.Throws<InvalidOperationException>(() => loader.Current);
    }

    [Fact]
    public void DisposingBeforeConsumingAnythingDoesNotHang()
    {
        ImageDataset dataset = RandomDataset(64);
        var plan = new BatchPlan(64, 8, shuffle: true, dropLast: true, seed: 3);
        for (int i = 0; i < 20; i++)
        {
            var loader = new PrefetchingLoader(dataset, plan, AugmentOptions.Training, 0, epochCount: 1000);
            var watch = Stopwatch.StartNew();
            loader.Dispose();
            Assert.True(watch.Elapsed < Patience, $"dispose took {watch.Elapsed}");
        }
    }

    [Fact]
    public void NothingToDeliverEndsAtOnce()
    {
        ImageDataset dataset = RandomDataset(10);
        var plan = new BatchPlan(10, 4, shuffle: true, dropLast: false, seed: 3);
        using var loader = new PrefetchingLoader(dataset, plan, AugmentOptions.Training, 3, epochCount: 0);

        Assert.Equal(0, loader.TotalBatches);
        Assert.False(loader.MoveNext());
        Assert.Throws<InvalidOperationException>(() => loader.Current);
    }

    [Fact]
    public void APlanLargerThanTheDatasetIsRefused()
    {
        ImageDataset dataset = RandomDataset(10);
        var plan = new BatchPlan(11, 4, shuffle: true, dropLast: false, seed: 3);

        Assert.Throws<ArgumentException>(() => new PrefetchingLoader(dataset, plan, AugmentOptions.Training, 0, 1));
    }
}
