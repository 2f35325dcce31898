using StaticGraph.Models;
using StaticGraph.Ops;
using StaticGraph.Train.Training;
using Xunit;

namespace StaticGraph.Tests.Models;

/// <summary>Builds zoo models on fresh graphs, counts their parameters and runs training steps.</summary>
internal static class ModelTestKit
{
    /// <summary>A fresh graph with the model on images [batch, channels, size, size]: the builder and the logits.</summary>
    public static (GraphBuilder Builder, Node Logits) Build(ModelBuilder model, int classes, int batch = 2, int channels = 3, int size = 32)
    {
        var b = new GraphBuilder(DType.F32);
        var images = b.Input("image", DType.F32, batch, channels, size, size);
        return (b, model(b, images, classes));
    }

    /// <summary>Trainable scalars of the graph: every parameter variable's element count.</summary>
    public static long CountParameters(GraphBuilder b) =>
        b.Nodes.Where(n => n.Op is VariableOp { Kind: VariableKind.Parameter }).Sum(n => n.Shape.ElementCount);

    /// <summary>Trainable scalars of a zoo model built on 3x32x32 images.</summary>
    public static long CountParameters(string model, int classes) => CountParameters(Build(ModelZoo.Get(model), classes).Builder);

    /// <summary>
    /// Compiles <paramref name="model"/> for training on the CPU with a batch of two images, runs one
    /// SGD step and one evaluation, and checks that the loss is finite, the classifier moved and the
    /// evaluation gives finite logits [2, classes].
    /// </summary>
    public static void TrainOneStep(ModelBuilder model, int classes = 10, int channels = 3, int size = 32)
    {
        const int batch = 2;
        using var session = new ModelSession(model, batch, channels, size, size, classes,
            new Sgd(), Schedule.Constant(0.05), seed: 7, threads: 2);
        var images = new float[batch * channels * size * size];
        var random = new System.Random(11);
        for (var i = 0; i < images.Length; i++) images[i] = (float)(random.NextDouble() * 2 - 1);
        int[] labels = [1, classes - 1];
        var head = session.TrainingProgram.Variables.First(v => v.Op is VariableOp { Kind: VariableKind.Parameter } && v.Name!.StartsWith("fc.", StringComparison.Ordinal)).Name!;
        var before = session.Training.ReadVariable<float>(head);

        session.Training.SetInput<float>(ModelSession.ImageInput, images);
        session.Training.SetInput<int>(ModelSession.LabelInput, labels);
        session.Training.Run();

        var loss = session.Training.Read<float>(session.Loss)[0];
        Assert.True(float.IsFinite(loss) && loss > 0, $"training loss {loss}");
        Assert.Equal(1, session.Training.Step);
        Assert.NotEqual(before, session.Training.ReadVariable<float>(head));

        session.Inference.SetInput<float>(ModelSession.ImageInput, images);
        session.Inference.Run();
        var logits = session.Inference.Read<float>(session.Logits);
        Assert.Equal(batch * classes, logits.Length);
        Assert.All(logits, v => Assert.True(float.IsFinite(v), $"logit {v}"));
    }
}
