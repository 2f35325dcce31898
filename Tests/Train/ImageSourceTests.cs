using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Data;
using StaticGraph.Ops;
using StaticGraph.Train.Training;
using Xunit;

namespace StaticGraph.Tests.Train;

/// <summary>A batch assembled from a plan by the host source is the batch the synchronous assembler gives, bit for bit.</summary>
public class ImageSourceTests
{
    [Fact]
    public void The_host_source_assembles_the_planned_batch_exactly_as_the_assembler()
    {
        var rng = new System.Random(3);
        var pixels = new byte[10 * 3 * 6 * 5];
        rng.NextBytes(pixels);
        var data = new ImageDataset("toy", pixels, [.. Enumerable.Range(0, 10).Select(i => i % 4)], 3, 6, 5, 4, [0.4f, 0.5f, 0.6f], [0.2f, 0.25f, 0.3f]);
        int[] indices = [7, 2, 9, 2];
        var augment = AugmentOptions.Training with { Padding = 2 };
        var expectedImages = new float[4 * data.ImageSize];
        var expectedLabels = new int[4];
        BatchAssembler.Assemble(data, indices, augment, seed: 11, batchId: 5, expectedImages, expectedLabels);

        var b = new GraphBuilder(DType.F32);
        var image = b.Input("image", DType.F32, 4, 3, 6, 5);
        var label = b.Input("label", DType.I32, 4);
        var program = GraphProgram.Inference(b.Scale(image, 1), b.OneHot(label, 4, DType.F32));
        using var run = CpuBackend.Instance.Compile(program, new CompileOptions(Threads: 1));
        using var source = ImageSources.For(CpuBackend.Instance, data, augment.Normalize, 4);
        Assert.IsType<HostImageSource>(source);
        var plan = new int[4 * ImageBatchPlan.Stride];
        BatchAssembler.Plan(indices, augment, 11, 5, plan);
        source.Assemble(run, "image", "label", plan);
        run.Run();
        Assert.Equal(expectedImages, run.Read<float>(program.Fetches[0]));
        var oneHot = run.Read<float>(program.Fetches[1]);
        Assert.Equal(expectedLabels, Enumerable.Range(0, 4).Select(i => Array.IndexOf(oneHot, 1f, i * 4) - i * 4));
    }
}
