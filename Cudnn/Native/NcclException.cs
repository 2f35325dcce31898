using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>An NCCL call returned an error; the message names the call, the result and NCCL's description of it.</summary>
public sealed class NcclException(string function, int code, string description)
    : Exception($"{function} failed with {Nccl.ResultName(code)} ({code}): {description}")
{
    /// <summary>The <c>ncclResult_t</c> value.</summary>
    public int Code { get; } = code;
}

/// <summary>NCCL helpers: result checking, names, the library's version.</summary>
internal static unsafe class Nccl
{
    // ncclResult_t of nccl.h, for when the library cannot describe a result itself.
    private static readonly string[] Names =
    [
        "ncclSuccess", "ncclUnhandledCudaError", "ncclSystemError", "ncclInternalError", "ncclInvalidArgument",
        "ncclInvalidUsage", "ncclRemoteError", "ncclInProgress", "ncclTimeout",
    ];

    /// <summary>The result's name in <c>nccl.h</c>.</summary>
    public static string ResultName(int code) => code >= 0 && code < Names.Length ? Names[code] : $"ncclResult_t {code}";

    /// <summary>Throws <see cref="NcclException"/> naming <paramref name="function"/> unless <paramref name="result"/> is ncclSuccess.</summary>
    public static void Check(int result, string function)
    {
        if (result == 0) return;
        string description;
        try
        {
            description = Marshal.PtrToStringUTF8(NcclNative.ncclGetErrorString(result)) ?? "(no description)";
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            description = "(no description)";
        }
        throw new NcclException(function, result, description);
    }

    /// <summary>
    /// The loaded NCCL's version as major.minor.patch, decoded from <c>ncclGetVersion</c>'s code (NCCL_VERSION: X*1000 + Y*100
    /// + Z up to 2.8, X*10000 + Y*100 + Z after).
    /// </summary>
    public static string Version()
    {
        int code;
        Check(NcclNative.ncclGetVersion(&code), "ncclGetVersion");
        return Decode(code);
    }

    /// <summary>Decodes an NCCL version code (2.8.4 is 2804, 2.21.5 is 22105).</summary>
    public static string Decode(int code) =>
        code >= 10000 ? $"{code / 10000}.{code / 100 % 100}.{code % 100}" : $"{code / 1000}.{code / 100 % 10}.{code % 100}";
}
