namespace StaticGraph.Backend.Cpu;

/// <summary>A typed view of a tensor's bytes in CPU memory (arena or persistent storage).</summary>
public readonly unsafe struct CpuTensor(byte* data, TensorType type)
{
    /// <summary>First byte.</summary>
    public byte* Data { get; } = data;

    /// <summary>False for a value the fusion plan does not store (no bytes: it is computed where it is read).</summary>
    public bool IsStored => Data != null;

    /// <summary>Dtype and shape.</summary>
    public TensorType Type { get; } = type;

    /// <summary>The shape.</summary>
    public Shape Shape => Type.Shape;

    /// <summary>Number of elements.</summary>
    public long Length => Type.Shape.ElementCount;

    /// <summary>Typed pointer to the first element.</summary>
    public T* Ptr<T>() where T : unmanaged => (T*)Data;

    /// <summary>The elements as a span (tensors above 2^31 elements are not supported on the CPU).</summary>
    public Span<T> Span<T>() where T : unmanaged => new(Data, checked((int)Length));
}
