using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The rows of <c>relu_backward(mask, g)</c> (g where the mask is positive, else 0), recomputed by the batch-norm
/// gradient that reads them as its dy, so the masked gradient is never stored. The mask is read where it is stored, or
/// itself recomputed (the ReLU of a batch norm, <see cref="BatchNormReluRows{T}"/>).
/// </summary>
internal sealed unsafe class MaskedGradientRows<T> : CpuRowSource, IRows<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensor _mask, _g;
    private readonly IRows<T>? _maskRows;
    private readonly BatchNormLayout _layout;

    /// <summary>The rows of <paramref name="reluBackward"/>, reading its mask through <paramref name="maskRows"/> when that is not null.</summary>
    public MaskedGradientRows(Node reluBackward, Func<Node, CpuTensor> tensorOf, CpuRowSource? maskRows)
    {
        (_mask, _g) = (tensorOf(reluBackward.Inputs[0]), tensorOf(reluBackward.Inputs[1]));
        _maskRows = (IRows<T>?)maskRows;
        _layout = BatchNormLayout.Of(_g.Shape);
    }

    /// <inheritdoc/>
    public override Shape Shape => _g.Shape;

    /// <inheritdoc/>
    public void Row(int image, int channel, T* destination)
    {
        var offset = _layout.RowOffset(image, channel);
        T* mask = _mask.Ptr<T>() + offset;
        if (_maskRows is not null)
        {
            _maskRows.Row(image, channel, destination);
            mask = destination;
        }
        T* g = _g.Ptr<T>() + offset;
        var n = _layout.Plane;
        var w = Vector<T>.Count;
        long i = 0;
        for (; i + w <= n; i += w) Vector.ConditionalSelect(Vector.GreaterThan(Vector.Load(mask + i), Vector<T>.Zero), Vector.Load(g + i), Vector<T>.Zero).Store(destination + i);
        for (; i < n; i++) destination[i] = mask[i] > T.Zero ? g[i] : T.Zero;
    }
}
