using StaticGraph.Train.Training;
using Xunit;

namespace StaticGraph.Tests.Train;

/// <summary>
/// Issue 2's acceptance on the full data set: ResNet-preact-20, one epoch at lr 0.1 (cosine),
/// batch 128, pad-crop and flip, reaches at least 85% test accuracy (PyTorch with the same
/// recipe measured 85.8% on this machine). Takes a few minutes on 2 cores.
/// </summary>
public class FashionMnistAcceptanceTests
{
    [Fact]
    public void One_epoch_of_resnet_preact_20_reaches_85_percent()
    {
        if (!File.Exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
            Assert.Skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        var options = new TrainOptions
        {
            Epochs = 1,
            Lr = 0.1,
            Threads = 2,
            OutDir = Path.Combine(Path.GetTempPath(), "sg-accept-" + Guid.NewGuid().ToString("N")),
        };
        var history = new Trainer(options, TrainingProgress.None).Run(stop: TestContext.Current.CancellationToken).History;
        Assert.True(history[^1].TestAcc >= 0.85, $"test accuracy {history[^1].TestAcc:P2} is below 85%");
        Directory.Delete(options.OutDir, recursive: true);
    }
}
