namespace StaticGraph.Regularizers;

/// <summary>
/// A batch as the data-space regularizers see it inside the graph: images [N, C, H, W] (f32 or
/// f64) and targets, either class indices i32 [N] or soft targets [N, K] of the images' dtype
/// (rows summing to 1), which <see cref="SoftmaxCrossEntropyOp"/> accepts as they are.
/// </summary>
/// <param name="Images">The images [N, C, H, W].</param>
/// <param name="Targets">Class indices i32 [N] or soft targets [N, K].</param>
public sealed record TrainingBatch(Node Images, Node Targets)
{
    /// <summary>N, the number of images.</summary>
    public int BatchSize => Images.Shape[0];

    /// <summary>True when the targets are class indices rather than soft targets.</summary>
    public bool HasClassIndices => Targets.DType == DType.I32;

    /// <summary>
    /// Fails, naming <paramref name="who"/>, unless the images are f32 or f64 [N, C, H, W] and the
    /// targets are i32 [N] or [N, <paramref name="classes"/>] of the images' dtype.
    /// </summary>
    public void Validate(string who, int classes)
    {
        ArgumentNullException.ThrowIfNull(Images);
        ArgumentNullException.ThrowIfNull(Targets);
        if (classes < 1) throw new ArgumentOutOfRangeException(nameof(classes), classes, $"{who}: expected at least one class, got {classes}");
        if (Images.DType is not (DType.F32 or DType.F64) || Images.Shape.Rank != 4)
            throw new GraphBuildException($"{who}: expected images f32 or f64 [N,C,H,W], got {Images}: {Images.Type}");
        var n = Images.Shape[0];
        var indices = Targets.DType == DType.I32 && Targets.Shape.Rank == 1 && Targets.Shape[0] == n;
        var soft = Targets.Type == new TensorType(Images.DType, new Shape(n, classes));
        if (!indices && !soft)
            throw new GraphBuildException(
                $"{who}: expected targets i32[{n}] (class indices) or {Images.DType.ShortName()}[{n},{classes}] (soft targets) for images {Images.Type}, got {Targets}: {Targets.Type}");
    }

    /// <summary>The targets as soft targets [N, K] of the images' dtype: the one-hot rows of class indices, or the soft targets themselves.</summary>
    public Node SoftTargets(GraphBuilder b, int classes)
    {
        ArgumentNullException.ThrowIfNull(b);
        return HasClassIndices ? b.OneHot(Targets, classes, Images.DType) : Targets;
    }
}

/// <summary>
/// A regularizer that acts on a whole batch inside the graph (Cutout, Random Erasing, Mixup,
/// CutMix, RICAP, label smoothing). In a training program it draws from named random ops; in an
/// inference program it is the identity (through <see cref="ModeSelectBuilder.ModeSelect"/>), so
/// the evaluation graph pays nothing for it.
/// </summary>
public interface IBatchRegularizer
{
    /// <summary>
    /// The regularized batch. Targets may change form: regularizers that blend labels return soft
    /// targets [N, <paramref name="classes"/>] in both modes (one-hot rows in inference).
    /// </summary>
    TrainingBatch Apply(GraphBuilder b, TrainingBatch batch, int classes);
}
