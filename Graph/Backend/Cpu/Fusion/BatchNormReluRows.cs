using System.Numerics;

namespace StaticGraph.Backend.Cpu;

/// <summary>
/// The rows of <c>relu(batch_norm(x))</c> recomputed from x and the statistics the batch norm wrote, bitwise the values
/// its kernel would store (<see cref="BatchNormCoefficients{T}"/>): a convolution reading this value in the backward pass
/// costs a few operations per element instead of a stored tensor kept alive from the forward pass.
/// </summary>
internal sealed unsafe class BatchNormReluRows<T> : CpuRowSource, IRows<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly CpuTensor _x, _gamma, _beta, _mean, _var;
    private readonly BatchNormLayout _layout;
    private readonly double _eps;

    /// <summary>The rows of the ReLU of batch norm <paramref name="batchNorm"/>'s output, from its inputs and statistics outputs.</summary>
    public BatchNormReluRows(Node batchNorm, Func<Node, CpuTensor> tensorOf)
    {
        (_x, _gamma, _beta) = (tensorOf(batchNorm.Inputs[0]), tensorOf(batchNorm.Inputs[1]), tensorOf(batchNorm.Inputs[2]));
        (_mean, _var) = (tensorOf(batchNorm.Outputs[1]), tensorOf(batchNorm.Outputs[2]));
        _layout = BatchNormLayout.Of(_x.Shape);
        _eps = ((BatchNormOp)batchNorm.Op).Eps;
    }

    /// <inheritdoc/>
    public override Shape Shape => _x.Shape;

    /// <inheritdoc/>
    public void Row(int image, int channel, T* destination)
    {
        var k = BatchNormCoefficients<T>.Of(_mean.Ptr<double>()[channel], _var.Ptr<double>()[channel], _gamma.Ptr<T>()[channel], _beta.Ptr<T>()[channel], _eps);
        k.Apply(_x.Ptr<T>() + _layout.RowOffset(image, channel), destination, _layout.Plane, relu: true);
    }
}
