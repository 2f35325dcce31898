namespace StaticGraph.Cuda.Native;

/// <summary>
/// A cuDNN call returned a status other than success. The message names the function, the numeric status, cuDNN's string
/// for it (<c>cudnnGetErrorString</c>, or <see cref="CudnnStatus.Describe"/> when the library cannot give one) and the detail
/// of <c>cudnnGetLastErrorString</c> when there is one.
/// </summary>
public sealed class CudnnException : Exception
{
    /// <summary>Creates the exception; <paramref name="errorString"/> and <paramref name="detail"/> may be null or empty when unavailable.</summary>
    public CudnnException(string function, int code, string? errorString, string? detail)
        : base(Format(function, code, errorString, detail))
    {
        Function = function;
        Code = code;
        Detail = detail ?? "";
    }

    /// <summary>The cuDNN function that failed.</summary>
    public string Function { get; }

    /// <summary>The <c>cudnnStatus_t</c> value.</summary>
    public int Code { get; }

    /// <summary>The category of <see cref="Code"/>.</summary>
    public CudnnStatusCategory Category => CudnnStatus.Category(Code);

    /// <summary>cuDNN's last-error detail (may be empty).</summary>
    public string Detail { get; }

    private static string Format(string function, int code, string? errorString, string? detail)
    {
        var text = string.IsNullOrWhiteSpace(errorString) ? CudnnStatus.Describe(code) : $"{errorString.Trim()} ({code})";
        var message = $"{function} failed with status {code}: {text}";
        if (!string.IsNullOrWhiteSpace(detail)) message += $"; detail: {detail.Trim()}";
        return message.ReplaceLineEndings(" ");
    }
}
