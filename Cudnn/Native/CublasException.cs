using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>A cuBLAS call returned a status other than success; the message names the function, the status number and its name.</summary>
public sealed class CublasException(string function, int code, string statusName, string? description)
    : Exception($"{function} failed with {statusName} ({code}){(string.IsNullOrWhiteSpace(description) ? "" : ": " + description)}")
{
    /// <summary>The cuBLAS function that failed.</summary>
    public string Function { get; } = function;

    /// <summary>The <c>cublasStatus_t</c> value.</summary>
    public int Code { get; } = code;

    /// <summary>The status name, e.g. <c>CUBLAS_STATUS_INVALID_VALUE</c>.</summary>
    public string StatusName { get; } = statusName;
}

/// <summary>cuBLAS helpers: status checking and names.</summary>
internal static class Cublas
{
    // cublasStatus_t of cublas_api.h (CUDA 12.6), for when the library cannot name a status itself.
    private static readonly Dictionary<int, string> Names = new()
    {
        [0] = "CUBLAS_STATUS_SUCCESS",
        [1] = "CUBLAS_STATUS_NOT_INITIALIZED",
        [3] = "CUBLAS_STATUS_ALLOC_FAILED",
        [7] = "CUBLAS_STATUS_INVALID_VALUE",
        [8] = "CUBLAS_STATUS_ARCH_MISMATCH",
        [11] = "CUBLAS_STATUS_MAPPING_ERROR",
        [13] = "CUBLAS_STATUS_EXECUTION_FAILED",
        [14] = "CUBLAS_STATUS_INTERNAL_ERROR",
        [15] = "CUBLAS_STATUS_NOT_SUPPORTED",
        [16] = "CUBLAS_STATUS_LICENSE_ERROR",
    };

    /// <summary>Throws <see cref="CublasException"/> naming <paramref name="function"/> when <paramref name="status"/> is not success.</summary>
    public static void Check(int status, string function)
    {
        if (status != 0) throw new CublasException(function, status, StatusName(status), LibraryString(CublasNative.cublasGetStatusString, status));
    }

    /// <summary>The loaded cuBLAS's version (<c>cublasGetProperty</c> with MAJOR_VERSION, MINOR_VERSION, PATCH_LEVEL).</summary>
    public static (int Major, int Minor, int Patch) Version()
    {
        int Part(int type)
        {
            Check(CublasNative.cublasGetProperty(type, out var value), "cublasGetProperty");
            return value;
        }
        return (Part(0), Part(1), Part(2));
    }

    /// <summary>The name of a status: from the local table (taken from the header), else from <c>cublasGetStatusName</c>; never throws.</summary>
    public static string StatusName(int status) =>
        Names.GetValueOrDefault(status) ?? LibraryString(CublasNative.cublasGetStatusName, status) ?? $"cublasStatus_t {status}";

    private static string? LibraryString(Func<int, nint> query, int status)
    {
        try
        {
            var text = query(status);
            return text != 0 ? Marshal.PtrToStringUTF8(text) : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}
