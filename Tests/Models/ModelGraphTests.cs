using StaticGraph.Models;
using StaticGraph.Regularizers;
using Xunit;

namespace StaticGraph.Tests.Models;

/// <summary>
/// Every zoo model builds on CIFAR-sized and Fashion-MNIST-sized images with logits [N, classes];
/// the small ones, and small configurations of the large ones (so that every regularizer's path
/// runs), take a CPU training step.
/// </summary>
public class ModelGraphTests
{
    private static readonly string[] ExpectedNames =
    [
        "resnet-preact-20", "resnet-preact-56", "resnet-preact-110", "wrn-28-10",
        "shake-shake-26-2x32d", "shake-shake-26-2x64d", "shake-shake-26-2x96d",
        "resnext-29-2x4x64d-shake", "pyramidnet-110-270-shakedrop", "densenet-bc-100-12",
    ];

    public static TheoryData<string> Names => new(ExpectedNames);

    [Fact]
    public void The_zoo_holds_exactly_the_listed_models() =>
        Assert.Equal(ExpectedNames.Order(StringComparer.Ordinal), ModelZoo.Names.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Names))]
    public void Logits_are_batch_by_classes_on_cifar_sized_images(string model)
    {
        var (_, logits) = ModelTestKit.Build(ModelZoo.Get(model), classes: 100, batch: 3);
        Assert.Equal([3, 100], logits.Shape.ToArray());
        Assert.Equal(DType.F32, logits.DType);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Logits_are_batch_by_classes_on_fashion_mnist_sized_images(string model)
    {
        var (_, logits) = ModelTestKit.Build(ModelZoo.Get(model), classes: 10, batch: 2, channels: 1, size: 28);
        Assert.Equal([2, 10], logits.Shape.ToArray());
    }

    [Theory]
    [InlineData("resnet-preact-20")]
    [InlineData("densenet-bc-100-12")]
    public void A_small_zoo_model_takes_a_training_step(string model) => ModelTestKit.TrainOneStep(ModelZoo.Get(model));

    [Fact]
    public void A_small_zoo_model_takes_a_training_step_on_fashion_mnist_sized_images() =>
        ModelTestKit.TrainOneStep(ModelZoo.Get("resnet-preact-20"), channels: 1, size: 28);

    [Fact]
    public void Preact_resnet_with_stochastic_depth_takes_a_training_step() =>
        ModelTestKit.TrainOneStep((b, x, k) => ResNetPreact.Build(b, x, k, new ResNetPreactOptions(Depth: 20, StochasticDepthFinalSurvival: 0.5)));

    [Fact]
    public void Wide_resnet_with_dropout_takes_a_training_step() =>
        ModelTestKit.TrainOneStep((b, x, k) => WideResNet.Build(b, x, k, new WideResNetOptions(Depth: 10, WideningFactor: 1, DropRate: 0.3)));

    public static TheoryData<ShakeMode, ShakeMode, ShakeLevel> ShakeModes
    {
        get
        {
            var data = new TheoryData<ShakeMode, ShakeMode, ShakeLevel>();
            foreach (var forward in new[] { ShakeMode.Shake, ShakeMode.Even }) // forward Keep is not a configuration
                foreach (var backward in Enum.GetValues<ShakeMode>())
                    foreach (var level in Enum.GetValues<ShakeLevel>())
                        data.Add(forward, backward, level);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ShakeModes))]
    public void Shake_shake_takes_a_training_step_in_every_mode(ShakeMode forward, ShakeMode backward, ShakeLevel level) =>
        ModelTestKit.TrainOneStep((b, x, k) => ShakeShakeResNet.Build(b, x, k,
            new ShakeShakeResNetOptions(Depth: 8, BaseChannels: 4, Shake: new ShakeOptions(forward, backward, level))), channels: 1, size: 28);

    [Fact]
    public void Shake_shake_resnext_takes_a_training_step() =>
        ModelTestKit.TrainOneStep((b, x, k) => ShakeShakeResNeXt.Build(b, x, k,
            new ShakeShakeResNeXtOptions(Depth: 11, Cardinality: 2, BaseWidth: 2, StemChannels: 4)));

    [Fact]
    public void PyramidNet_with_shakedrop_takes_a_training_step() =>
        ModelTestKit.TrainOneStep((b, x, k) => PyramidNet.Build(b, x, k, new PyramidNetOptions(Depth: 20, Alpha: 24)));

    [Fact]
    public void PyramidNet_widens_by_alpha_over_the_block_count_from_16_to_16_plus_alpha()
    {
        var (b, _) = ModelTestKit.Build(ModelZoo.Get("pyramidnet-110-270-shakedrop"), 10);
        var widths = b.Nodes.Where(n => n.Name is { } name && name.EndsWith(".conv2.weight", StringComparison.Ordinal))
            .Select(n => n.Shape[0]).ToArray();
        Assert.Equal(Enumerable.Range(1, 54).Select(k => 16 + 5 * k), widths);
    }

    [Fact]
    public void DenseNet_BC_100_compresses_its_transitions_by_half()
    {
        var (b, _) = ModelTestKit.Build(ModelZoo.Get("densenet-bc-100-12"), 10);
        int Out(string name) => b.Nodes.Single(n => n.Name == name).Shape[0];
        // 24 + 16·12 = 216 → 108; 108 + 192 = 300 → 150; 150 + 192 = 342 into the head.
        Assert.Equal(108, Out("transition1.conv.weight"));
        Assert.Equal(150, Out("transition2.conv.weight"));
        Assert.Equal(342, b.Nodes.Single(n => n.Name == "fc.weight").Shape[1]);
    }

    [Fact]
    public void Odd_sides_take_a_downsampling_pyramidnet_block()
    {
        var (_, logits) = ModelTestKit.Build((b, x, k) => PyramidNet.Build(b, x, k, new PyramidNetOptions(Depth: 8, Alpha: 12)), 10, size: 30);
        Assert.Equal([2, 10], logits.Shape.ToArray());
    }
}
