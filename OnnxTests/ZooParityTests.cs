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
/// Images are 16x16 to keep the widest models to a second or two. The same exports also pass the ONNX project's own
/// checker (Debian's python3-onnx), which ONNX Runtime does not stand in for: it checks every node against the
/// operator schemas and infers every shape.
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
        var (logits, run, onnx) = Exported(model, variant);
        using var ours = run;
        var rng = new System.Random(5);
        var batch = new float[Built * Channels * Side * Side];
        for (var i = 0; i < batch.Length; i++) batch[i] = (float)(rng.NextDouble() * 2 - 1);
        ours.SetInput<float>("image", batch);
        ours.Run();
        var expected = ours.Read<float>(logits);

        using var ort = new OrtModel(onnx);
        var actual = ort.Run(batch[..(Run * Channels * Side * Side)], Run, Channels, Side, Side);

        Assert.Equal(Run * Classes, actual.Length);
        var scale = expected.Take(Run * Classes).Max(MathF.Abs);
        var error = actual.Select((v, i) => MathF.Abs(v - expected[i])).Max() / scale;
        output.WriteLine($"{model} {variant}: max |ORT - ours| / max |ours| = {error:E2} (logit scale {scale:G4})");
        Assert.True(error <= 1e-4, $"{model} ({variant}): ONNX Runtime differs from our inference by {error:E2} of the logits' scale");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_onnx_reference_checker_accepts_the_export(string model, string variant)
    {
        var (_, ours, onnx) = Exported(model, variant);
        ours.Dispose(); // only its variables were needed, for the export
        var version = OnnxChecker.Check(onnx);
        output.WriteLine($"{model} {variant}: accepted by onnx {version}'s checker (full check, shape inference included)");
    }

    /// <summary>The inference program of <paramref name="model"/> with <paramref name="variant"/>, compiled on the CPU with randomised normalisation, and its ONNX export.</summary>
    private static (Node Logits, IExecutable Ours, byte[] Onnx) Exported(string model, string variant)
    {
        var regularizers = Variant(variant);
        var builder = ModelZoo.Get(model, regularizers);
        var b = new GraphBuilder(DType.F32);
        var images = b.Input("image", DType.F32, Built, Channels, Side, Side);
        var labels = b.Input("label", DType.I32, Built);
        var (_, logits) = RegularizerCatalog.Objective(regularizers).Build(b, x => builder(b, x, Classes), images, labels, Classes);
        var program = GraphProgram.Inference(logits);
        var ours = CpuBackend.Instance.Compile(program, new CompileOptions(Seed: 7, Threads: 2));
        RandomiseNormalisation(ours, program, seed: 11);
        return (logits, ours, OnnxExporter.Export(program, ours));
    }

    private static RegularizerSettings Variant(string name) => name switch
    {
        "default" => RegularizerSettings.None,
        "stochastic-depth+drop-activation" => RegularizerSettings.None.With("stochastic-depth", 0.5).With("drop-activation", 0.05),
        "dropout" => RegularizerSettings.None.With("dropout", 0.3),
        "shake-even-batch" => RegularizerSettings.None.With("shake", null, ("forward", "shake"), ("backward", "even"), ("image", false)),
        "no-shakedrop" => RegularizerSettings.None.With("shakedrop", 1.0),
        "dual-cutout" => RegularizerSettings.None.With("dual-cutout", 0.1),
        "mixup+label-smoothing" => RegularizerSettings.None.With("mixup", 1.0).With("label-smoothing", 0.1),
        "cutmix" => RegularizerSettings.None.With("cutmix", 1.0),
        "ricap" => RegularizerSettings.None.With("ricap", 0.3),
        "cutout+random-erasing" => RegularizerSettings.None.With("cutout", 8).With("random-erasing", 0.5),
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
