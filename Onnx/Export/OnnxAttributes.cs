namespace StaticGraph.Onnx.Export;

/// <summary>Builds node attributes; proto2's AttributeProto needs its type set alongside the value.</summary>
internal static class OnnxAttributes
{
    /// <summary>An int64 attribute.</summary>
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A list-of-int64 attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>A float attribute (ONNX attributes are single precision).</summary>
    public static AttributeProto Float(string name, double value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = (float)value };
}
