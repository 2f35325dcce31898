using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>
/// Raw cuDNN 9 entry points (prototypes from <c>cudnn_graph.h</c>, <c>cudnn_ops.h</c> and <c>cudnn_cnn.h</c> of cuDNN 9.6).
/// Every call but the version and error-string ones returns a <c>cudnnStatus_t</c>. Conventions: handles and descriptors are
/// <c>nint</c>; device memory (<c>void*</c> / <c>const void*</c> into GPU memory) is passed as a <c>ulong</c> CUdeviceptr, the
/// same 64-bit integer register on linux-x64; host scaling factors (alpha, beta) are <c>void*</c>; <c>size_t</c> is <c>nuint</c>.
/// Most of this legacy API is marked deprecated in cuDNN 9 but still exported; the backend (graph) API lives elsewhere.
/// </summary>
internal static unsafe partial class CudnnNative
{
    private const string Lib = NativeLibraryResolver.CudnnName;

    static CudnnNative() => NativeLibraryResolver.EnsureRegistered();

    // ---- cudnn_graph.h: version, errors, handle ----
    [LibraryImport(Lib, EntryPoint = "cudnnGetVersion")] internal static partial nuint cudnnGetVersion();
    [LibraryImport(Lib, EntryPoint = "cudnnGetCudartVersion")] internal static partial nuint cudnnGetCudartVersion();
    [LibraryImport(Lib, EntryPoint = "cudnnGetErrorString")] internal static partial nint cudnnGetErrorString(int status);
    [LibraryImport(Lib, EntryPoint = "cudnnGetLastErrorString")] internal static partial void cudnnGetLastErrorString(byte* message, nuint maxSize);
    [LibraryImport(Lib, EntryPoint = "cudnnCreate")] internal static partial int cudnnCreate(out nint handle);
    [LibraryImport(Lib, EntryPoint = "cudnnDestroy")] internal static partial int cudnnDestroy(nint handle);
    [LibraryImport(Lib, EntryPoint = "cudnnSetStream")] internal static partial int cudnnSetStream(nint handle, nint stream);

    // ---- cudnn_ops.h: tensor descriptors ----
    [LibraryImport(Lib, EntryPoint = "cudnnCreateTensorDescriptor")] internal static partial int cudnnCreateTensorDescriptor(out nint descriptor);
    [LibraryImport(Lib, EntryPoint = "cudnnDestroyTensorDescriptor")] internal static partial int cudnnDestroyTensorDescriptor(nint descriptor);

    [LibraryImport(Lib, EntryPoint = "cudnnSetTensor4dDescriptor")]
    internal static partial int cudnnSetTensor4dDescriptor(nint descriptor, CudnnTensorFormat format, CudnnDataType dataType, int n, int c, int h, int w);

    [LibraryImport(Lib, EntryPoint = "cudnnSetTensorNdDescriptor")]
    internal static partial int cudnnSetTensorNdDescriptor(nint descriptor, CudnnDataType dataType, int dimensionCount, int* dimensions, int* strides);

    [LibraryImport(Lib, EntryPoint = "cudnnGetTensorSizeInBytes")] internal static partial int cudnnGetTensorSizeInBytes(nint descriptor, out nuint bytes);

    // ---- cudnn_ops.h: filter descriptors (data type BEFORE format, unlike the tensor version) ----
    [LibraryImport(Lib, EntryPoint = "cudnnCreateFilterDescriptor")] internal static partial int cudnnCreateFilterDescriptor(out nint descriptor);
    [LibraryImport(Lib, EntryPoint = "cudnnDestroyFilterDescriptor")] internal static partial int cudnnDestroyFilterDescriptor(nint descriptor);

    [LibraryImport(Lib, EntryPoint = "cudnnSetFilter4dDescriptor")]
    internal static partial int cudnnSetFilter4dDescriptor(nint descriptor, CudnnDataType dataType, CudnnTensorFormat format, int k, int c, int h, int w);

    // ---- cudnn_cnn.h: convolution descriptor ----
    [LibraryImport(Lib, EntryPoint = "cudnnCreateConvolutionDescriptor")] internal static partial int cudnnCreateConvolutionDescriptor(out nint descriptor);
    [LibraryImport(Lib, EntryPoint = "cudnnDestroyConvolutionDescriptor")] internal static partial int cudnnDestroyConvolutionDescriptor(nint descriptor);

    [LibraryImport(Lib, EntryPoint = "cudnnSetConvolution2dDescriptor")]
    internal static partial int cudnnSetConvolution2dDescriptor(nint descriptor, int padH, int padW, int strideH, int strideW, int dilationH, int dilationW,
        CudnnConvolutionMode mode, CudnnDataType computeType);

    [LibraryImport(Lib, EntryPoint = "cudnnSetConvolutionGroupCount")] internal static partial int cudnnSetConvolutionGroupCount(nint descriptor, int groups);
    [LibraryImport(Lib, EntryPoint = "cudnnSetConvolutionMathType")] internal static partial int cudnnSetConvolutionMathType(nint descriptor, CudnnMathType mathType);

    [LibraryImport(Lib, EntryPoint = "cudnnGetConvolution2dForwardOutputDim")]
    internal static partial int cudnnGetConvolution2dForwardOutputDim(nint convDesc, nint xDesc, nint wDesc, out int n, out int c, out int h, out int w);

    // ---- cudnn_cnn.h: forward ----
    [LibraryImport(Lib, EntryPoint = "cudnnGetConvolutionForwardAlgorithmMaxCount")]
    internal static partial int cudnnGetConvolutionForwardAlgorithmMaxCount(nint handle, out int count);

    [LibraryImport(Lib, EntryPoint = "cudnnFindConvolutionForwardAlgorithmEx")]
    internal static partial int cudnnFindConvolutionForwardAlgorithmEx(nint handle, nint xDesc, ulong x, nint wDesc, ulong w, nint convDesc, nint yDesc,
        ulong y, int requested, out int returned, CudnnConvolutionFwdAlgoPerf* results, ulong workspace, nuint workspaceBytes);

    [LibraryImport(Lib, EntryPoint = "cudnnGetConvolutionForwardWorkspaceSize")]
    internal static partial int cudnnGetConvolutionForwardWorkspaceSize(nint handle, nint xDesc, nint wDesc, nint convDesc, nint yDesc,
        CudnnConvolutionFwdAlgo algo, out nuint bytes);

    [LibraryImport(Lib, EntryPoint = "cudnnConvolutionForward")]
    internal static partial int cudnnConvolutionForward(nint handle, void* alpha, nint xDesc, ulong x, nint wDesc, ulong w, nint convDesc,
        CudnnConvolutionFwdAlgo algo, ulong workspace, nuint workspaceBytes, void* beta, nint yDesc, ulong y);

    // ---- cudnn_cnn.h: backward data ----
    [LibraryImport(Lib, EntryPoint = "cudnnGetConvolutionBackwardDataAlgorithmMaxCount")]
    internal static partial int cudnnGetConvolutionBackwardDataAlgorithmMaxCount(nint handle, out int count);

    [LibraryImport(Lib, EntryPoint = "cudnnFindConvolutionBackwardDataAlgorithmEx")]
    internal static partial int cudnnFindConvolutionBackwardDataAlgorithmEx(nint handle, nint wDesc, ulong w, nint dyDesc, ulong dy, nint convDesc,
        nint dxDesc, ulong dx, int requested, out int returned, CudnnConvolutionBwdDataAlgoPerf* results, ulong workspace, nuint workspaceBytes);

    [LibraryImport(Lib, EntryPoint = "cudnnGetConvolutionBackwardDataWorkspaceSize")]
    internal static partial int cudnnGetConvolutionBackwardDataWorkspaceSize(nint handle, nint wDesc, nint dyDesc, nint convDesc, nint dxDesc,
        CudnnConvolutionBwdDataAlgo algo, out nuint bytes);

    [LibraryImport(Lib, EntryPoint = "cudnnConvolutionBackwardData")]
    internal static partial int cudnnConvolutionBackwardData(nint handle, void* alpha, nint wDesc, ulong w, nint dyDesc, ulong dy, nint convDesc,
        CudnnConvolutionBwdDataAlgo algo, ulong workspace, nuint workspaceBytes, void* beta, nint dxDesc, ulong dx);

    // ---- cudnn_cnn.h: backward filter ----
    [LibraryImport(Lib, EntryPoint = "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount")]
    internal static partial int cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(nint handle, out int count);

    [LibraryImport(Lib, EntryPoint = "cudnnFindConvolutionBackwardFilterAlgorithmEx")]
    internal static partial int cudnnFindConvolutionBackwardFilterAlgorithmEx(nint handle, nint xDesc, ulong x, nint dyDesc, ulong dy, nint convDesc,
        nint dwDesc, ulong dw, int requested, out int returned, CudnnConvolutionBwdFilterAlgoPerf* results, ulong workspace, nuint workspaceBytes);

    [LibraryImport(Lib, EntryPoint = "cudnnGetConvolutionBackwardFilterWorkspaceSize")]
    internal static partial int cudnnGetConvolutionBackwardFilterWorkspaceSize(nint handle, nint xDesc, nint dyDesc, nint convDesc, nint dwDesc,
        CudnnConvolutionBwdFilterAlgo algo, out nuint bytes);

    [LibraryImport(Lib, EntryPoint = "cudnnConvolutionBackwardFilter")]
    internal static partial int cudnnConvolutionBackwardFilter(nint handle, void* alpha, nint xDesc, ulong x, nint dyDesc, ulong dy, nint convDesc,
        CudnnConvolutionBwdFilterAlgo algo, ulong workspace, nuint workspaceBytes, void* beta, nint dwDesc, ulong dw);

}
