using StaticGraph.Tests.Cuda.Emulation;
using Xunit;

namespace StaticGraph.Tests.Cuda;

/// <summary>
/// Whole training steps of the zoo's models, planned for CUDA and run on the host emulator, against the CPU backend:
/// every fused kernel, random draw, convolution and GEMM call, update and guard of a real step, at a size the emulator
/// runs in seconds. f64 shows the lowering is exact; f32 that the kernels keep to the numerics contract.
/// </summary>
public class ModelStepEmulationTests
{
    public static TheoryData<string> Cases() =>
    [
        "resnet-preact-20", "shake-shake-26-2x32d", "densenet-bc-100-12", "resnet-preact-20+stochastic-depth",
        "resnet-preact-20+drop-activation", "shake-shake-26-2x32d+Shake-Keep-Batch", "resnet-preact-20+cutout",
        "resnet-preact-20+random-erasing", "resnet-preact-20+mixup", "resnet-preact-20+cutmix", "resnet-preact-20+ricap",
        "resnet-preact-20+dual-cutout", "resnet-preact-20+label-smoothing",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Two_training_steps_in_f64_match_the_CPU(string name)
    {
        var c = ModelPrograms.All().Single(m => m.Name == name);
        var (training, _) = c.Build(DType.F64, batch: 2, size: 8);
        EmulatorParity.AssertMatchesCpu(training, Feeds(DType.F64, 2, c.Channels, 8), runs: 2, f64Tolerance: 1e-8);
    }

    [Fact]
    public void A_training_step_in_f32_matches_the_CPU_within_the_numerics_contract()
    {
        var c = ModelPrograms.All().Single(m => m.Name == "resnet-preact-20");
        var (training, _) = c.Build(DType.F32, batch: 4, size: 12);
        EmulatorParity.AssertMatchesCpu(training, Feeds(DType.F32, 4, c.Channels, 12), runs: 1, f32Tolerance: 1e-3);
    }

    [Fact]
    public void Inference_of_a_trained_model_matches_the_CPU()
    {
        var c = ModelPrograms.All().Single(m => m.Name == "pyramidnet-110-270-shakedrop");
        var (_, inference) = c.Build(DType.F64, batch: 1, size: 8);
        EmulatorParity.AssertMatchesCpu(inference, Feeds(DType.F64, 1, c.Channels, 8), f64Tolerance: 1e-8);
    }

    internal static Dictionary<string, Array> Feeds(DType dtype, int batch, int channels, int size)
    {
        var rng = new System.Random(3);
        var images = Enumerable.Range(0, batch * channels * size * size).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var labels = Enumerable.Range(0, batch).Select(i => (i * 7 + 3) % 10).ToArray();
        return new Dictionary<string, Array>
        {
            ["image"] = dtype == DType.F32 ? images.Select(v => (float)v).ToArray() : images,
            ["label"] = labels,
        };
    }
}
