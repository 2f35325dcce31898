using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Core;

/// <summary>The README's example, as written there, builds, prints, compiles and trains.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void The_readme_example_runs_and_lowers_the_loss()
    {
        var images = new float[128 * 28 * 28];
        var labels = new int[128];
        var rng = new System.Random(1);
        for (var i = 0; i < labels.Length; i++) labels[i] = rng.Next(10);
        for (var i = 0; i < images.Length; i++) images[i] = (float)rng.NextDouble() + labels[i / (28 * 28)] * 0.1f;

        // --- as in README.md ---
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("image", DType.F32, 128, 1, 28, 28);
        var y = b.Input("label", DType.I32, 128);
        var h = b.Conv2d(x, outChannels: 16, kernel: 3, padding: 1);
        h = b.Relu(b.BatchNorm(h));
        var logits = b.Linear(b.GlobalAvgPool(h), 10);
        var loss = b.SoftmaxCrossEntropy(logits, y, labelSmoothing: 0.1);

        var step = Autodiff.Train(loss, Sgd.WithNesterov(momentum: 0.9, weightDecay: 5e-4),
                                  Schedule.LinearWarmup(100).Then(Schedule.Cosine(0.1, 4000)), logits);
        var listing = step.ToString();
        using var run = CpuBackend.Instance.Compile(step, new CompileOptions(Seed: 0, Threads: 2));
        run.SetInput<float>("image", images);
        run.SetInput<int>("label", labels);
        run.Run();
        float lossValue = run.Read<float>(loss)[0];
        // --- end of the README's code ---

        Assert.Contains("= conv2d(", listing);
        Assert.Contains("stride=1 pad=1 : f32[128,16,28,28]", listing);
        for (var i = 0; i < 30; i++) run.Run();
        Assert.True(run.Read<float>(loss)[0] < lossValue, "training on a fixed batch should lower its loss");
    }
}
