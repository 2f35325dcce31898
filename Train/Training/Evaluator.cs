using StaticGraph.Backend;
using StaticGraph.Data;
using StaticGraph.Distributed;

namespace StaticGraph.Train.Training;

/// <summary>
/// Runs the inference program over a whole split. The program has a static batch size, so the
/// last partial batch is padded with copies of its first image and only its real rows count. The
/// split's batches are assembled by the backend's image source (<see cref="ImageSources"/>): on a GPU
/// the split is uploaded once and assembled there. In a data-parallel run rank r evaluates batches r, r+N, r+2N... of the
/// split, and the sums are added over the ranks: every rank holds the same variables, so this is the single-process
/// evaluation, N times faster, and no rank idles while another evaluates.
/// </summary>
public sealed class Evaluator(ModelSession session) : IDisposable
{
    private readonly int[] _labels = new int[session.BatchSize];
    private readonly float[] _logits = new float[session.BatchSize * session.Classes];
    private readonly int[] _plan = new int[session.BatchSize * ImageBatchPlan.Stride];
    private (ImageDataset Data, IImageBatchSource Images)? _source;

    /// <summary>Mean cross-entropy and accuracy over <paramref name="data"/>, its batches shared among the ranks of <paramref name="world"/>.</summary>
    public (double Loss, double Accuracy) Evaluate(ImageDataset data, ICommunicator? world = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        world ??= SingleProcess.Instance;
        var plan = new BatchPlan(data.Count, session.BatchSize, shuffle: false, dropLast: false, seed: 0);
        var indices = new int[session.BatchSize];
        var images = Source(data);
        double lossSum = 0;
        long correct = 0;
        foreach (var batch in plan.StartEpoch(0))
        {
            if (batch.Index % world.Size != world.Rank) continue;
            var real = batch.Size;
            for (var i = 0; i < indices.Length; i++) indices[i] = batch.Indices[Math.Min(i, real - 1)];
            BatchAssembler.Plan(indices, AugmentOptions.Evaluation, 0, batch.Id, _plan);
            for (var i = 0; i < indices.Length; i++) _labels[i] = data.Labels[indices[i]];
            images.Assemble(session.Inference, ModelSession.ImageInput, null, _plan);
            session.Inference.Run();
            session.Inference.Read<float>(session.Logits, _logits);
            var (loss, hits) = LogitStatistics.Score(_logits, _labels, session.Classes, real);
            lossSum += loss;
            correct += hits;
        }
        Span<double> sums = [lossSum, correct];
        world.AllReduceSum(sums);
        return (sums[0] / data.Count, sums[1] / data.Count);
    }

    /// <summary>Frees the split's source (its device copy, if any).</summary>
    public void Dispose() => _source?.Images.Dispose();

    private IImageBatchSource Source(ImageDataset data)
    {
        if (_source is { } held && ReferenceEquals(held.Data, data)) return held.Images;
        _source?.Images.Dispose();
        var images = ImageSources.For(session.Backend, data, AugmentOptions.Evaluation.Normalize, session.BatchSize);
        _source = (data, images);
        return images;
    }
}
