using StaticGraph.Models;
using StaticGraph.Regularizers;

namespace StaticGraph.Train.Bench;

/// <summary>
/// One benchmarked workload: a zoo model with its regularizer variant, trained on random images of one geometry, and
/// the arguments that make the PyTorch peer (bench/pytorch_peer.py) build the same network. The name is the prefix of
/// every line the bench prints for it, so that figures from different runs and machines can be matched by name.
/// </summary>
/// <param name="Name">The workload's name on the command line and in the output (e.g. <c>ss26_2x32d</c>).</param>
/// <param name="Model">The zoo name (<see cref="ModelZoo.Get(string, RegularizerSettings)"/>).</param>
/// <param name="Variant">The regularizers the model is built with.</param>
/// <param name="Channels">Channels of the images.</param>
/// <param name="Size">Height and width of the images.</param>
/// <param name="PeerModel">The peer's <c>--model</c>.</param>
/// <param name="PeerWidth">The peer's <c>--width</c> (shake-shake's d), or null where the model has none.</param>
public sealed record BenchWorkload(string Name, string Model, RegularizerSettings Variant, int Channels, int Size, string PeerModel, int? PeerWidth)
{
    /// <summary>Classes of the random labels (the ten of CIFAR-10 and Fashion-MNIST).</summary>
    public const int Classes = 10;

    /// <summary>The model's builder.</summary>
    public ModelBuilder Build() => ModelZoo.Get(Model, Variant);

    /// <summary>The peer's arguments that select this network and its images.</summary>
    public IReadOnlyList<string> PeerArguments =>
    [
        "--model", PeerModel,
        .. PeerWidth is { } w ? new[] { "--width", $"{w}" } : [],
        "--channels", $"{Channels}", "--size", $"{Size}",
    ];
}
