namespace StaticGraph;

/// <summary>The static type of a node's value: element type and shape.</summary>
public readonly record struct TensorType(DType DType, Shape Shape)
{
    /// <summary>Bytes the tensor occupies.</summary>
    public long SizeInBytes => Shape.ElementCount * DType.SizeInBytes();

    /// <summary>Formats as f32[128,16,28,28].</summary>
    public override string ToString() => DType.ShortName() + Shape;
}
