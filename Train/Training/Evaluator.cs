using StaticGraph.Data;

namespace StaticGraph.Train.Training;

/// <summary>
/// Runs the inference program over a whole split. The program has a static batch size, so the
/// last partial batch is padded with copies of its first image and only its real rows count.
/// </summary>
public sealed class Evaluator(ModelSession session)
{
    private readonly float[] _images = new float[session.Inference.Program.Inputs.Single(i => i.Name == ModelSession.ImageInput).Shape.ElementCount];
    private readonly int[] _labels = new int[session.BatchSize];
    private readonly float[] _logits = new float[session.BatchSize * session.Classes];

    /// <summary>Mean cross-entropy and accuracy over <paramref name="data"/>.</summary>
    public (double Loss, double Accuracy) Evaluate(ImageDataset data)
    {
        var plan = new BatchPlan(data.Count, session.BatchSize, shuffle: false, dropLast: false, seed: 0);
        var indices = new int[session.BatchSize];
        double lossSum = 0;
        long correct = 0;
        foreach (var batch in plan.StartEpoch(0))
        {
            var real = batch.Size;
            for (var i = 0; i < indices.Length; i++) indices[i] = batch.Indices[Math.Min(i, real - 1)];
            BatchAssembler.Assemble(data, indices, AugmentOptions.Evaluation, 0, batch.Id, _images, _labels);
            session.Inference.SetInput<float>(ModelSession.ImageInput, _images);
            session.Inference.Run();
            session.Inference.Read<float>(session.Logits, _logits);
            var (loss, hits) = LogitStatistics.Score(_logits, _labels, session.Classes, real);
            lossSum += loss;
            correct += hits;
        }
        return (lossSum / data.Count, (double)correct / data.Count);
    }
}
