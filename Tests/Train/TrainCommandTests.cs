using StaticGraph.Checkpoints;
using Xunit;

namespace StaticGraph.Tests.Train;

/// <summary>The command line end to end on a small subset of the real Fashion-MNIST.</summary>
public class TrainCommandTests
{
    private static void RequireFashionMnist()
    {
        if (!File.Exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            Assert.Skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
    }

    private static (int Exit, string Out, string Err) Run(params string[] args) => Cli.Run(args);

    [Fact]
    public void Train_writes_metrics_checkpoint_and_curves()
    {
        RequireFashionMnist();
        var dir = Path.Combine(Path.GetTempPath(), "sg-train-" + Guid.NewGuid().ToString("N"));
        var (exit, output, error) = Run("train", "--train-limit", "256", "--test-limit", "200", "--batch-size", "64",
            "--epochs", "2", "--threads", "2", "--out", dir);
        Assert.True(exit == 0, error);
        Assert.Contains("test accuracy", output);
        var lines = File.ReadAllLines(Path.Combine(dir, "metrics.csv"));
        Assert.Equal("epoch,train_loss,train_acc,test_loss,test_acc,lr,seconds", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("2,", lines[2]);
        var checkpoint = CheckpointFile.Read(Path.Combine(dir, "checkpoint.sgck"));
        Assert.Equal(2 * (256 / 64), checkpoint.Step);
        Assert.Contains(checkpoint.Variables, v => v.Name == "stem.weight");
        var png = File.ReadAllBytes(Path.Combine(dir, "curves.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);

        // eval reproduces the last epoch's test figures from the checkpoint alone.
        var lastRow = lines[2].Split(',');
        var (evalExit, evalOut, evalErr) = Run("eval", "--checkpoint", Path.Combine(dir, "checkpoint.sgck"), "--threads", "2", "--test-limit", "200");
        Assert.True(evalExit == 0, evalErr);
        var testAccuracy = double.Parse(lastRow[4], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains($"accuracy {testAccuracy * 100:F2}%", evalOut);

        var export = Path.Combine(dir, "export");
        // The run's folder names its checkpoint, as for train --resume.
        var (exportExit, _, exportErr) = Run("export", "--checkpoint", dir, "--out", export);
        Assert.True(exportExit == 0, exportErr);
        Assert.StartsWith("program inference", File.ReadAllText(Path.Combine(export, "graph.txt")));
        Assert.StartsWith("digraph", File.ReadAllText(Path.Combine(export, "graph.dot")));
        var weights = CheckpointFile.Read(Path.Combine(export, "weights.sgck"));
        Assert.DoesNotContain(weights.Variables, v => v.Name.EndsWith(".momentum", StringComparison.Ordinal));
        Assert.Contains(weights.Variables, v => v.Name == "stem.weight");
        Directory.Delete(dir, recursive: true);
    }

    [Theory]
    [InlineData("--model", "resnet-9000", "unknown model 'resnet-9000'")]
    [InlineData("--dataset", "imagenet", "unknown dataset 'imagenet'")]
    [InlineData("--schedule", "sawtooth", "unknown schedule 'sawtooth'")]
    [InlineData("--epochs", "0", "--epochs must be positive")]
    [InlineData("--lr", "-1", "--lr must be positive")]
    public void Bad_options_give_one_line_and_exit_code_2(string option, string value, string expected)
    {
        var (exit, _, error) = Run("train", option, value, "--out", Path.GetTempPath());
        Assert.Equal(2, exit);
        Assert.Contains(expected, error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void A_folder_without_a_checkpoint_is_one_line_naming_it()
    {
        var empty = Directory.CreateTempSubdirectory().FullName;
        var (exit, _, error) = Run("eval", "--checkpoint", empty);
        Assert.Equal(2, exit);
        Assert.Equal($"error: {empty}: a folder without checkpoint.sgck (train writes its checkpoint there)", error.Trim());
    }

    [Fact]
    public void A_missing_data_set_says_how_to_get_it()
    {
        var empty = Directory.CreateTempSubdirectory().FullName;
        var (exit, _, error) = Run("train", "--dataset", "mnist", "--data-dir", empty, "--out", empty);
        Assert.Equal(2, exit);
        Assert.Contains("--data-dir", error);
    }
}
