using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>cuDNN library-wide helpers: status checking, error strings, version.</summary>
internal static unsafe class Cudnn
{
    /// <summary>Throws <see cref="CudnnException"/> naming <paramref name="function"/> when <paramref name="status"/> is not success.</summary>
    public static void Check(int status, string function)
    {
        if (status != CudnnStatus.Success) throw new CudnnException(function, status, ErrorString(status), LastErrorString());
    }

    /// <summary>cuDNN's string for a status (<c>cudnnGetErrorString</c>), or null when the library cannot be called; never throws.</summary>
    public static string? ErrorString(int status)
    {
        try
        {
            var text = CudnnNative.cudnnGetErrorString(status);
            return text != 0 ? Marshal.PtrToStringUTF8(text) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The detail of the calling thread's last cuDNN error (<c>cudnnGetLastErrorString</c>), or empty; never throws.</summary>
    public static string LastErrorString()
    {
        const int size = 2048;
        var buffer = stackalloc byte[size];
        buffer[0] = 0;
        try
        {
            CudnnNative.cudnnGetLastErrorString(buffer, size);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return "";
        }
        buffer[size - 1] = 0;
        return Marshal.PtrToStringUTF8((nint)buffer) ?? "";
    }

    /// <summary>The raw <c>cudnnGetVersion()</c> value: major*10000 + minor*100 + patch in cuDNN 9 (e.g. 90600).</summary>
    public static long RawVersion() => (long)CudnnNative.cudnnGetVersion();

    /// <summary>The CUDA runtime version the loaded cuDNN was built with (e.g. 12080 or 13000): a cuDNN built for CUDA 13 needs a CUDA 13 driver.</summary>
    public static int CudartVersion() => (int)CudnnNative.cudnnGetCudartVersion();

    /// <summary>The loaded cuDNN's version, decoded with cuDNN 9's encoding.</summary>
    public static (int Major, int Minor, int Patch) Version()
    {
        var raw = RawVersion();
        return ((int)(raw / 10000), (int)(raw / 100 % 100), (int)(raw % 100));
    }

    /// <summary>
    /// A pointer to the scaling factor (alpha or beta) in the type cuDNN reads for <paramref name="dataType"/>: a double for
    /// double data, a float for everything else (float, half, bfloat16, int8). <paramref name="scalar"/> must stay alive (a local)
    /// for the duration of the call.
    /// </summary>
    public static void* ScalingPointer(CudnnScalar* scalar, CudnnDataType dataType) =>
        dataType == CudnnDataType.Double ? &scalar->Double : &scalar->Single;
}

/// <summary>A scaling factor held both as double and float, so that a call can pass whichever its data type needs (see <see cref="Cudnn.ScalingPointer"/>).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CudnnScalar
{
    /// <summary>The value as a double (read for double data).</summary>
    public double Double;

    /// <summary>The value as a float (read for float, half and bfloat16 data).</summary>
    public float Single;

    /// <summary>Holds <paramref name="value"/> in both precisions.</summary>
    public CudnnScalar(double value)
    {
        Double = value;
        Single = (float)value;
    }
}
