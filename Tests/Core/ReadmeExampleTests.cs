using System.Text.RegularExpressions;
using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Core;

/// <summary>
/// The README's program in-process: the listing line it quotes is the real one, and the loss it prints falls.
/// (The Cake target Examples builds and runs the README's C# and F# blocks verbatim from the packages.)
/// </summary>
public class ReadmeExampleTests
{
    [Fact]
    public void The_readme_program_lists_what_it_says_and_lowers_the_loss()
    {
        var readme = File.ReadAllText(RepositoryFiles.PathOf("README.md")).ReplaceLineEndings("\n");
        var csharp = Regex.Matches(readme, "```csharp\n(.*?)```", RegexOptions.Singleline);
        Assert.Single(csharp);
        Assert.Single(Regex.Matches(readme, "```fsharp\n(.*?)```", RegexOptions.Singleline));

        // --- as in README.md ---
        const int batch = 64;
        var rng = new System.Random(1);
        var labels = new int[batch];
        var images = new float[batch * 28 * 28];
        for (var i = 0; i < batch; i++) labels[i] = rng.Next(10);
        for (var i = 0; i < images.Length; i++) images[i] = (float)rng.NextDouble() + labels[i / (28 * 28)] * 0.1f;

        var b = new GraphBuilder(DType.F32);
        var x = b.Input("image", DType.F32, batch, 1, 28, 28);
        var y = b.Input("label", DType.I32, batch);
        var h = b.Relu(b.BatchNorm(b.Conv2d(x, outChannels: 16, kernel: 3, padding: 1)));
        var logits = b.Linear(b.GlobalAvgPool(h), 10);
        var loss = b.SoftmaxCrossEntropy(logits, y, labelSmoothing: 0.1);

        var step = Autodiff.Train(loss, Sgd.WithNesterov(momentum: 0.9, weightDecay: 5e-4),
                                  Schedule.LinearWarmup(10).Then(Schedule.Cosine(0.1, 100)), logits);
        using var run = CpuBackend.Instance.Compile(step, new CompileOptions(Seed: 0, Threads: 2));
        run.SetInput<float>("image", images);
        run.SetInput<int>("label", labels);
        var losses = new List<float>();
        for (var i = 1; i <= 30; i++)
        {
            run.Run();
            if (i % 10 == 0) losses.Add(run.Read<float>(loss)[0]);
        }
        // --- end of the README's code ---

        var quoted = Regex.Match(csharp[0].Groups[1].Value, "one line per node: (.*)").Groups[1].Value.Trim();
        Assert.Contains("\n  " + quoted + "\n", "\n" + step.ToString().ReplaceLineEndings("\n"));
        Assert.True(losses[0] > losses[1] && losses[1] > losses[2], $"the loss should fall: {string.Join(", ", losses)}");
    }
}
