namespace StaticGraph.Cuda.Native;

/// <summary>A CUDA driver call returned a status other than success.</summary>
public sealed class CudaException : Exception
{
    /// <summary>Creates the exception for <paramref name="function"/> returning <paramref name="code"/>.</summary>
    public CudaException(string function, int code, string errorName, string description)
        : base($"{function} failed with {errorName} ({code}): {description}")
    {
        Function = function;
        Code = code;
        ErrorName = errorName;
        Description = description;
    }

    /// <summary>The driver function that failed (its exported symbol).</summary>
    public string Function { get; }

    /// <summary>The <c>CUresult</c> value.</summary>
    public int Code { get; }

    /// <summary>The driver's name for the code, e.g. <c>CUDA_ERROR_NO_DEVICE</c>.</summary>
    public string ErrorName { get; }

    /// <summary>The driver's description of the code.</summary>
    public string Description { get; }
}

/// <summary>A command could not be captured into a CUDA graph; the message names it.</summary>
public sealed class CudaCaptureException(string message) : InvalidOperationException(message);
