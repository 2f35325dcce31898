using StaticGraph.Cuda.Backend;
using StaticGraph.Cuda.Data;
using StaticGraph.Cuda.Kernels;
using StaticGraph.Data;

namespace StaticGraph.Train.Training;

/// <summary>
/// Runs the inference program over a whole split. The program has a static batch size, so the
/// last partial batch is padded with copies of its first image and only its real rows count. On the
/// CUDA backend the split is uploaded once and its batches are assembled on the device.
/// </summary>
public sealed class Evaluator(ModelSession session) : IDisposable
{
    private readonly float[] _images = new float[session.Inference.Program.Inputs.Single(i => i.Name == ModelSession.ImageInput).Shape.ElementCount];
    private readonly int[] _labels = new int[session.BatchSize];
    private readonly float[] _logits = new float[session.BatchSize * session.Classes];
    private readonly int[] _plan = new int[session.BatchSize * BatchAssemblySource.PlanStride];
    private (ImageDataset Data, DeviceImageSet Images)? _onDevice;

    /// <summary>Mean cross-entropy and accuracy over <paramref name="data"/>.</summary>
    public (double Loss, double Accuracy) Evaluate(ImageDataset data)
    {
        var plan = new BatchPlan(data.Count, session.BatchSize, shuffle: false, dropLast: false, seed: 0);
        var indices = new int[session.BatchSize];
        var device = session.Inference is CudaExecutable gpu ? (gpu, Upload(data)) : default;
        double lossSum = 0;
        long correct = 0;
        foreach (var batch in plan.StartEpoch(0))
        {
            var real = batch.Size;
            for (var i = 0; i < indices.Length; i++) indices[i] = batch.Indices[Math.Min(i, real - 1)];
            if (device.gpu is { } target)
            {
                BatchAssembler.Plan(indices, AugmentOptions.Evaluation, 0, batch.Id, _plan);
                for (var i = 0; i < indices.Length; i++) _labels[i] = data.Labels[indices[i]];
                device.Item2.Assemble(target, ModelSession.ImageInput, null, _plan);
            }
            else
            {
                BatchAssembler.Assemble(data, indices, AugmentOptions.Evaluation, 0, batch.Id, _images, _labels);
                session.Inference.SetInput<float>(ModelSession.ImageInput, _images);
            }
            session.Inference.Run();
            session.Inference.Read<float>(session.Logits, _logits);
            var (loss, hits) = LogitStatistics.Score(_logits, _labels, session.Classes, real);
            lossSum += loss;
            correct += hits;
        }
        return (lossSum / data.Count, (double)correct / data.Count);
    }

    /// <summary>Frees the split's device copy, if any.</summary>
    public void Dispose() => _onDevice?.Images.Dispose();

    private DeviceImageSet Upload(ImageDataset data)
    {
        if (_onDevice is { } held && ReferenceEquals(held.Data, data)) return held.Images;
        _onDevice?.Images.Dispose();
        var images = new DeviceImageSet(data.Pixels, data.Labels, data.Channels, data.Height, data.Width,
            BatchAssembler.ConversionTables(data, AugmentOptions.Evaluation.Normalize), session.BatchSize);
        _onDevice = (data, images);
        return images;
    }
}
