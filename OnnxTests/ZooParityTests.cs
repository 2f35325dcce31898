using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Models;
using StaticGraph.Onnx;
using StaticGraph.Ops;
using StaticGraph.Regularizers;
using Xunit;

namespace StaticGraph.OnnxTests;

/// <summary>
/// Every zoo model, and every regularizer variant in its inference form, exported and run by ONNX Runtime:
/// the logits agree with our CPU inference to 1e-4 of their largest magnitude. The graph is built for 3
/// images and ONNX Runtime is given 2, so a batch size frozen into the model fails. Batch-norm statistics
/// and affine parameters are randomised, so a mix-up of mean, variance, scale or shift cannot pass.
/// Images are 16x16 to keep the widest models to a second or two.
/// </summary>
public class ZooParityTests(ITestOutputHelper output)
{
    private const int Built = 3, Run = 2, Channels = 3, Side = 16, Classes = 10;

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in ModelZoo.Names) data.Add(model, "default");
        data.Add("resnet-preact-20", "stochastic-depth+drop-activation");
        data.Add("wrn-28-10", "dropout");
        data.Add("shake-shake-26-2x32d", "shake-even-batch");
        data.Add("pyramidnet-110-270-shakedrop", "no-shakedrop");
        data.Add("resnet-preact-20", "dual-cutout");
        data.Add("resnet-preact-20", "mixup+label-smoothing");
        data.Add("resnet-preact-20", "cutmix");
        data.Add("resnet-preact-20", "ricap");
        data.Add("resnet-preact-20", "cutout+random-erasing");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_runtime_matches_our_inference(string model, string variant)
    {
        var (modelVariant, regularizers) = Variant(variant);
        var builder = ModelZoo.Get(model, modelVariant);
        var b = new GraphBuilder(DType.F32);
        var images = b.Input("image", DType.F32, Built, Channels, Side, Side);
        var labels = b.Input("label", DType.I32, Built);
        var (_, logits) = TrainingObjectives.FromOptions(regularizers).Build(b, x => builder(b, x, Classes), images, labels, Classes);
        var program = GraphProgram.Inference(logits);
        using var ours = CpuBackend.Instance.Compile(program, new CompileOptions(Seed: 7, Threads: 2));
        RandomiseNormalisation(ours, program, seed: 11);

        var rng = new System.Random(5);
        var batch = new float[Built * Channels * Side * Side];
        for (var i = 0; i < batch.Length; i++) batch[i] = (float)(rng.NextDouble() * 2 - 1);
        ours.SetInput<float>("image", batch);
        ours.Run();
        var expected = ours.Read<float>(logits);

        using var ort = new OrtModel(OnnxExporter.Export(program, ours));
        var actual = ort.Run(batch[..(Run * Channels * Side * Side)], Run, Channels, Side, Side);

        Assert.Equal(Run * Classes, actual.Length);
        var scale = expected.Take(Run * Classes).Max(MathF.Abs);
        var error = actual.Select((v, i) => MathF.Abs(v - expected[i])).Max() / scale;
        output.WriteLine($"{model} {variant}: max |ORT - ours| / max |ours| = {error:E2} (logit scale {scale:G4})");
        Assert.True(error <= 1e-4, $"{model} ({variant}): ONNX Runtime differs from our inference by {error:E2} of the logits' scale");
    }

    private static (ModelVariant, RegularizerOptions) Variant(string name) => name switch
    {
        "default" => (ModelVariant.Default, new RegularizerOptions()),
        "stochastic-depth+drop-activation" => (new ModelVariant(StochasticDepthFinalSurvival: 0.5, DropActivation: 0.05), new RegularizerOptions()),
        "dropout" => (new ModelVariant(Dropout: 0.3), new RegularizerOptions()),
        "shake-even-batch" => (new ModelVariant(Shake: new ShakeOptions(ShakeMode.Shake, ShakeMode.Even, ShakeLevel.Batch)), new RegularizerOptions()),
        "no-shakedrop" => (new ModelVariant(ShakeDropFinalSurvival: 1.0), new RegularizerOptions()),
        "dual-cutout" => (ModelVariant.Default, new RegularizerOptions { DualCutout = 0.1 }),
        "mixup+label-smoothing" => (ModelVariant.Default, new RegularizerOptions { Mixup = 1.0, LabelSmoothing = 0.1 }),
        "cutmix" => (ModelVariant.Default, new RegularizerOptions { CutMix = 1.0 }),
        "ricap" => (ModelVariant.Default, new RegularizerOptions { Ricap = 0.3 }),
        "cutout+random-erasing" => (ModelVariant.Default, new RegularizerOptions { Cutout = 8, RandomErasing = 0.5 }),
        _ => throw new ArgumentException(name),
    };

    /// <summary>Batch norm's four per-channel vectors get values far from their initial 1 and 0.</summary>
    private static void RandomiseNormalisation(IExecutable run, GraphProgram program, int seed)
    {
        var rng = new System.Random(seed);
        foreach (var v in program.Variables)
        {
            var name = v.Name!;
            (double Lo, double Hi)? range = name switch
            {
                _ when name.EndsWith(".running_mean", StringComparison.Ordinal) => (-0.2, 0.2),
                _ when name.EndsWith(".running_var", StringComparison.Ordinal) => (1.0, 2.0),
                _ when v.Op is VariableOp { NormOrBias: true } && name.EndsWith(".weight", StringComparison.Ordinal) => (0.5, 1.0),
                _ when v.Op is VariableOp { NormOrBias: true } => (-0.2, 0.2),
                _ => null,
            };
            if (range is not { } r) continue;
            var values = new float[v.Shape.ElementCount];
            for (var i = 0; i < values.Length; i++) values[i] = (float)(r.Lo + rng.NextDouble() * (r.Hi - r.Lo));
            run.WriteVariable<float>(name, values);
        }
    }
}
