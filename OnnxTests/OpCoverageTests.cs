using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Onnx;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.OnnxTests;

/// <summary>
/// The ONNX forms the zoo does not reach (comparisons, where, the unary functions, transpose, reshape of a batch,
/// casts, broadcast, reductions, softmax, max pooling) in one graph checked against ONNX Runtime at another
/// batch size; and the refusals: an op without an ONNX form and a shape that would freeze the batch size each
/// give one line naming the node, and nothing is written.
/// </summary>
public class OpCoverageTests
{
    private const int Built = 3, Run = 5, C = 2, Side = 6;

    [Fact]
    public void Every_mapped_op_agrees_with_onnx_runtime_at_another_batch_size()
    {
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("image", DType.F32, Built, C, Side, Side);
        var h = b.Conv2d(x, outChannels: 4, kernel: 3, padding: 1, name: "conv");
        h = b.MaxPool2d(h, kernel: 3, stride: 1, padding: 1);
        var small = b.Scale(h, 0.3);
        var mixed = b.Where(b.Greater(h, b.Scalar(0)), h, b.Neg(h));
        mixed = b.Add(mixed, b.Exp(b.Neg(b.Square(small))));
        mixed = b.Add(mixed, b.Mul(b.Sigmoid(small), b.Tanh(small)));
        var positive = b.AddScalar(b.Abs(small), 1);
        mixed = b.Add(mixed, b.Div(b.Log(positive), b.Sqrt(positive)));
        mixed = b.Add(mixed, b.Sub(b.Reciprocal(positive), b.Mul(b.Sign(small), b.Step(small))));
        mixed = b.Max(mixed, b.Min(small, b.Equal(small, small)));
        mixed = b.Transpose(mixed, 0, 1, 3, 2);
        mixed = b.Cast(b.Cast(mixed, DType.F64), DType.F32);
        var channelMean = b.Mean(mixed, [1], keepDims: true);
        mixed = b.Add(mixed, b.BroadcastTo(channelMean, mixed.Shape));
        mixed = b.Pad(b.Slice(mixed, [0, 1, 1, 0], [Built, 4, Side, Side - 1]), [0, 0, 1, 1], [0, 1, 0, 1]);
        var joined = b.Concat(1, mixed, b.ReduceMax(mixed, [1], keepDims: true));
        var flat = b.Reshape(joined, Built, -1);
        var total = b.Reshape(b.Sum(joined, [1, 2, 3], keepDims: false), Built, 1);
        var features = b.Concat(1, b.Softmax(flat), b.LogSoftmax(flat), total);
        var logits = b.Linear(features, 7);
        var program = GraphProgram.Inference(logits);

        using var ours = CpuBackend.Instance.Compile(program, new CompileOptions(Seed: 3, Threads: 2));
        var rng = new System.Random(2);
        var images = new float[Run * C * Side * Side];
        for (var i = 0; i < images.Length; i++) images[i] = (float)(rng.NextDouble() * 4 - 2);
        var expected = new float[Run * 7];
        // Ours runs 3 at a time: images 0-2, then 3-4 padded with a copy.
        foreach (var start in new[] { 0, 3 })
        {
            var chunk = new float[Built * C * Side * Side];
            for (var i = 0; i < Built; i++)
                images.AsSpan(Math.Min(start + i, Run - 1) * C * Side * Side, C * Side * Side).CopyTo(chunk.AsSpan(i * C * Side * Side));
            ours.SetInput<float>("image", chunk);
            ours.Run();
            var got = ours.Read<float>(logits);
            got.AsSpan(0, Math.Min(Built, Run - start) * 7).CopyTo(expected.AsSpan(start * 7));
        }

        using var ort = new OrtModel(OnnxExporter.Export(program, ours));
        var actual = ort.Run(images, Run, C, Side, Side);
        var scale = expected.Max(MathF.Abs);
        var error = actual.Select((v, i) => MathF.Abs(v - expected[i])).Max() / scale;
        Assert.True(error <= 1e-4, $"ONNX Runtime differs by {error:E2} of the logits' scale");
    }

    [Fact]
    public void An_op_without_an_onnx_form_is_named_in_one_line_and_nothing_is_written()
    {
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("image", DType.F32, Built, 1, 4, 4);
        var noisy = b.Add(b.Reshape(x, Built, 16), b.Uniform("noise", [Built, 16]));
        var program = GraphProgram.Inference(b.Linear(noisy, 3));
        using var run = CpuBackend.Instance.Compile(program, new CompileOptions());
        var path = Path.Combine(Path.GetTempPath(), "sg-refused-" + Guid.NewGuid().ToString("N") + ".onnx");

        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Save(path, program, run));

        var uniform = program.Nodes.Single(n => n.Name == "noise");
        Assert.Equal($"node %{uniform.Id} 'noise' uniform: no ONNX form for this op", e.Message);
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void A_constant_holding_the_built_batch_size_is_refused_rather_than_frozen()
    {
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("image", DType.F32, Built, 1, 4, 4);
        var shifted = b.Add(x, b.Fill(0.5, DType.F32, Built, 1, 4, 4));
        var program = GraphProgram.Inference(b.Linear(b.Reshape(shifted, Built, 16), 3));
        using var run = CpuBackend.Instance.Compile(program, new CompileOptions());

        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Export(program, run));

        Assert.StartsWith($"node %{shifted.Id} add: input %", e.Message);
        Assert.Contains("fixed leading dimension 3 where the batch goes", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}

