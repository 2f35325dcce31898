using System.Buffers.Binary;

namespace StaticGraph.Onnx.Export;

/// <summary>
/// Our dtypes as ONNX element types, and constants encoded the way TensorProto.raw_data holds them
/// (little-endian, row-major: the layout our variables already have, so their bytes are copied as they are).
/// </summary>
internal static class OnnxTypes
{
    /// <summary>ONNX's element type of <paramref name="dtype"/>.</summary>
    public static int ElementType(DType dtype) => (int)(dtype switch
    {
        DType.F32 => TensorProto.Types.DataType.Float,
        DType.F64 => TensorProto.Types.DataType.Double,
        DType.F16 => TensorProto.Types.DataType.Float16,
        DType.BF16 => TensorProto.Types.DataType.Bfloat16,
        DType.I32 => TensorProto.Types.DataType.Int32,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "no ONNX element type"),
    });

    /// <summary><paramref name="values"/> as raw bytes of <paramref name="dtype"/> (f32, f64 or i32).</summary>
    public static byte[] Encode(DType dtype, IReadOnlyList<double> values)
    {
        var size = dtype.SizeInBytes();
        var bytes = new byte[values.Count * size];
        for (var i = 0; i < values.Count; i++)
        {
            var slot = bytes.AsSpan(i * size, size);
            switch (dtype)
            {
                case DType.F32: BinaryPrimitives.WriteSingleLittleEndian(slot, (float)values[i]); break;
                case DType.F64: BinaryPrimitives.WriteDoubleLittleEndian(slot, values[i]); break;
                case DType.I32: BinaryPrimitives.WriteInt32LittleEndian(slot, checked((int)values[i])); break;
                default: throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "constants are written as f32, f64 or i32");
            }
        }
        return bytes;
    }
}
