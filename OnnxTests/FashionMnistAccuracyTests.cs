using System.Globalization;
using StaticGraph.Data;
using StaticGraph.Onnx;
using StaticGraph.Train;
using StaticGraph.Train.Commands;
using StaticGraph.Train.Training;
using Xunit;

namespace StaticGraph.OnnxTests;

/// <summary>
/// A ResNet-preact-20 trained briefly on real Fashion-MNIST (4,096 images, one epoch: the point is agreement,
/// not accuracy), exported with `sgtrain export --format onnx`: ONNX Runtime's accuracy on the whole test set
/// equals `eval`'s. ONNX Runtime gets the very floats `eval` assembles (in batches of 500, not the 128 the
/// graph was built for), and the model's metadata holds the normalisation that produced them.
/// </summary>
public class FashionMnistAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void Onnx_runtime_accuracy_equals_eval()
    {
        if (!File.Exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            Assert.Skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        var dir = Path.Combine(Path.GetTempPath(), "sg-onnx-accuracy-" + Guid.NewGuid().ToString("N"));
        try
        {
            new Trainer(new TrainOptions { TrainLimit = 4096, TestLimit = 256, Epochs = 1, Threads = 2, Device = "cpu", OutDir = dir }, TrainingProgress.None)
                .Run(stop: TestContext.Current.CancellationToken);
            var checkpoint = Path.Combine(dir, Trainer.CheckpointName);

            // eval's own path: the checkpoint's session and the Evaluator over the whole test split.
            double evalAccuracy;
            ImageDataset test;
            using (var session = CheckpointSession.Open(checkpoint, null, 2, out test))
            using (var evaluator = new Evaluator(session))
                evalAccuracy = evaluator.Evaluate(test).Accuracy;

            var export = Path.Combine(dir, "onnx");
            Assert.Equal(0, EntryPoint.Main(["export", "--checkpoint", checkpoint, "--format", "onnx", "--out", export]));
            using var ort = new OrtModel(File.ReadAllBytes(Path.Combine(export, ExportCommand.OnnxFileName)));
            Assert.Equal(test.Mean, Floats(ort.Metadata[OnnxExportOptions.NormalizeMeanKey]));
            Assert.Equal(test.Std, Floats(ort.Metadata[OnnxExportOptions.NormalizeStdKey]));

            const int batch = 500;
            long correct = 0;
            var images = new float[batch * test.ImageSize];
            var labels = new int[batch];
            for (var start = 0; start < test.Count; start += batch)
            {
                var n = Math.Min(batch, test.Count - start);
                var indices = Enumerable.Range(start, n).ToArray();
                BatchAssembler.Assemble(test, indices, AugmentOptions.Evaluation, 0, 0, images.AsSpan(0, n * test.ImageSize), labels.AsSpan(0, n));
                var logits = ort.Run(images[..(n * test.ImageSize)], n, test.Channels, test.Height, test.Width);
                for (var i = 0; i < n; i++)
                {
                    if (ArgMax(logits.AsSpan(i * test.ClassCount, test.ClassCount)) == labels[i]) correct++;
                }
            }
            var onnxAccuracy = (double)correct / test.Count;
            output.WriteLine($"eval {evalAccuracy:P2}, ONNX Runtime {onnxAccuracy:P2} on {test.Count} test images");
            Assert.Equal(evalAccuracy, onnxAccuracy);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The first largest logit's class, the rule eval scores with.</summary>
    private static int ArgMax(ReadOnlySpan<float> row)
    {
        var best = 0;
        for (var k = 1; k < row.Length; k++) if (row[k] > row[best]) best = k;
        return best;
    }

    private static float[] Floats(string text) => [.. text.Split(',').Select(s => float.Parse(s, CultureInfo.InvariantCulture))];
}
