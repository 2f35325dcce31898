namespace StaticGraph.Cuda.Native;

/// <summary>
/// cuDNN convolution calls (<c>cudnn_cnn.h</c>): execute (forward, backward data, backward filter, backward bias), workspace
/// sizes and algorithm search. Device memory is a CUdeviceptr (<see cref="DeviceBuffer.Pointer"/>); scaling factors are passed
/// as doubles and handed to cuDNN in the type of the output's data (<see cref="Cudnn.ScalingPointer"/>). Execute calls on a
/// handle bound to a non-default stream, with preallocated workspaces, are what a captured graph may hold; searches are not.
/// </summary>
internal static unsafe class CudnnConvolution
{
    /// <summary>y = alpha * conv(x, w) + beta * y (<c>cudnnConvolutionForward</c>).</summary>
    public static void Forward(CudnnHandle handle, double alpha, CudnnTensorDescriptor xDesc, ulong x, CudnnFilterDescriptor wDesc, ulong w,
        CudnnConvolutionDescriptor conv, CudnnConvolutionFwdAlgo algo, ulong workspace, long workspaceBytes, double beta, CudnnTensorDescriptor yDesc, ulong y)
    {
        CudnnScalar a = new(alpha), b = new(beta);
        Cudnn.Check(CudnnNative.cudnnConvolutionForward(handle.DangerousGetHandle(), Cudnn.ScalingPointer(&a, yDesc.DataType), xDesc.DangerousGetHandle(), x,
            wDesc.DangerousGetHandle(), w, conv.DangerousGetHandle(), algo, workspace, Bytes(workspaceBytes), Cudnn.ScalingPointer(&b, yDesc.DataType),
            yDesc.DangerousGetHandle(), y), "cudnnConvolutionForward");
    }

    /// <summary>dx = alpha * conv_backward_data(w, dy) + beta * dx (<c>cudnnConvolutionBackwardData</c>).</summary>
    public static void BackwardData(CudnnHandle handle, double alpha, CudnnFilterDescriptor wDesc, ulong w, CudnnTensorDescriptor dyDesc, ulong dy,
        CudnnConvolutionDescriptor conv, CudnnConvolutionBwdDataAlgo algo, ulong workspace, long workspaceBytes, double beta, CudnnTensorDescriptor dxDesc,
        ulong dx)
    {
        CudnnScalar a = new(alpha), b = new(beta);
        Cudnn.Check(CudnnNative.cudnnConvolutionBackwardData(handle.DangerousGetHandle(), Cudnn.ScalingPointer(&a, dxDesc.DataType), wDesc.DangerousGetHandle(),
            w, dyDesc.DangerousGetHandle(), dy, conv.DangerousGetHandle(), algo, workspace, Bytes(workspaceBytes), Cudnn.ScalingPointer(&b, dxDesc.DataType),
            dxDesc.DangerousGetHandle(), dx), "cudnnConvolutionBackwardData");
    }

    /// <summary>dw = alpha * conv_backward_filter(x, dy) + beta * dw (<c>cudnnConvolutionBackwardFilter</c>).</summary>
    public static void BackwardFilter(CudnnHandle handle, double alpha, CudnnTensorDescriptor xDesc, ulong x, CudnnTensorDescriptor dyDesc, ulong dy,
        CudnnConvolutionDescriptor conv, CudnnConvolutionBwdFilterAlgo algo, ulong workspace, long workspaceBytes, double beta, CudnnFilterDescriptor dwDesc,
        ulong dw)
    {
        CudnnScalar a = new(alpha), b = new(beta);
        Cudnn.Check(CudnnNative.cudnnConvolutionBackwardFilter(handle.DangerousGetHandle(), Cudnn.ScalingPointer(&a, dwDesc.DataType), xDesc.DangerousGetHandle(),
            x, dyDesc.DangerousGetHandle(), dy, conv.DangerousGetHandle(), algo, workspace, Bytes(workspaceBytes), Cudnn.ScalingPointer(&b, dwDesc.DataType),
            dwDesc.DangerousGetHandle(), dw), "cudnnConvolutionBackwardFilter");
    }

    /// <summary>Workspace bytes the forward algorithm needs (<c>cudnnGetConvolutionForwardWorkspaceSize</c>).</summary>
    public static long ForwardWorkspaceSize(CudnnHandle handle, CudnnTensorDescriptor xDesc, CudnnFilterDescriptor wDesc, CudnnConvolutionDescriptor conv,
        CudnnTensorDescriptor yDesc, CudnnConvolutionFwdAlgo algo)
    {
        Cudnn.Check(CudnnNative.cudnnGetConvolutionForwardWorkspaceSize(handle.DangerousGetHandle(), xDesc.DangerousGetHandle(), wDesc.DangerousGetHandle(),
            conv.DangerousGetHandle(), yDesc.DangerousGetHandle(), algo, out var bytes), "cudnnGetConvolutionForwardWorkspaceSize");
        return ConvolutionAlgoPerf.ClampBytes(bytes);
    }

    /// <summary>Workspace bytes the backward-data algorithm needs (<c>cudnnGetConvolutionBackwardDataWorkspaceSize</c>).</summary>
    public static long BackwardDataWorkspaceSize(CudnnHandle handle, CudnnFilterDescriptor wDesc, CudnnTensorDescriptor dyDesc, CudnnConvolutionDescriptor conv,
        CudnnTensorDescriptor dxDesc, CudnnConvolutionBwdDataAlgo algo)
    {
        Cudnn.Check(CudnnNative.cudnnGetConvolutionBackwardDataWorkspaceSize(handle.DangerousGetHandle(), wDesc.DangerousGetHandle(), dyDesc.DangerousGetHandle(),
            conv.DangerousGetHandle(), dxDesc.DangerousGetHandle(), algo, out var bytes), "cudnnGetConvolutionBackwardDataWorkspaceSize");
        return ConvolutionAlgoPerf.ClampBytes(bytes);
    }

    /// <summary>Workspace bytes the backward-filter algorithm needs (<c>cudnnGetConvolutionBackwardFilterWorkspaceSize</c>).</summary>
    public static long BackwardFilterWorkspaceSize(CudnnHandle handle, CudnnTensorDescriptor xDesc, CudnnTensorDescriptor dyDesc, CudnnConvolutionDescriptor conv,
        CudnnFilterDescriptor dwDesc, CudnnConvolutionBwdFilterAlgo algo)
    {
        Cudnn.Check(CudnnNative.cudnnGetConvolutionBackwardFilterWorkspaceSize(handle.DangerousGetHandle(), xDesc.DangerousGetHandle(),
            dyDesc.DangerousGetHandle(), conv.DangerousGetHandle(), dwDesc.DangerousGetHandle(), algo, out var bytes),
            "cudnnGetConvolutionBackwardFilterWorkspaceSize");
        return ConvolutionAlgoPerf.ClampBytes(bytes);
    }

    /// <summary>
    /// Benchmarks the forward algorithms on the given buffers (<c>cudnnFindConvolutionForwardAlgorithmEx</c>), fastest first.
    /// <paramref name="y"/> is overwritten. Synchronises: never during capture.
    /// </summary>
    public static ConvolutionAlgoPerf[] FindForward(CudnnHandle handle, CudnnTensorDescriptor xDesc, ulong x, CudnnFilterDescriptor wDesc, ulong w,
        CudnnConvolutionDescriptor conv, CudnnTensorDescriptor yDesc, ulong y, ulong workspace, long workspaceBytes)
    {
        Cudnn.Check(CudnnNative.cudnnGetConvolutionForwardAlgorithmMaxCount(handle.DangerousGetHandle(), out var max), "cudnnGetConvolutionForwardAlgorithmMaxCount");
        var results = new CudnnConvolutionFwdAlgoPerf[Math.Max(max, 1)];
        int returned;
        fixed (CudnnConvolutionFwdAlgoPerf* r = results)
            Cudnn.Check(CudnnNative.cudnnFindConvolutionForwardAlgorithmEx(handle.DangerousGetHandle(), xDesc.DangerousGetHandle(), x, wDesc.DangerousGetHandle(),
                w, conv.DangerousGetHandle(), yDesc.DangerousGetHandle(), y, results.Length, out returned, r, workspace, Bytes(workspaceBytes)),
                "cudnnFindConvolutionForwardAlgorithmEx");
        return [.. results.Take(returned).Select(p => p.ToPerf())];
    }

    /// <summary>
    /// Benchmarks the backward-data algorithms on the given buffers (<c>cudnnFindConvolutionBackwardDataAlgorithmEx</c>), fastest
    /// first. <paramref name="dx"/> is overwritten. Synchronises: never during capture.
    /// </summary>
    public static ConvolutionAlgoPerf[] FindBackwardData(CudnnHandle handle, CudnnFilterDescriptor wDesc, ulong w, CudnnTensorDescriptor dyDesc, ulong dy,
        CudnnConvolutionDescriptor conv, CudnnTensorDescriptor dxDesc, ulong dx, ulong workspace, long workspaceBytes)
    {
        Cudnn.Check(CudnnNative.cudnnGetConvolutionBackwardDataAlgorithmMaxCount(handle.DangerousGetHandle(), out var max),
            "cudnnGetConvolutionBackwardDataAlgorithmMaxCount");
        var results = new CudnnConvolutionBwdDataAlgoPerf[Math.Max(max, 1)];
        int returned;
        fixed (CudnnConvolutionBwdDataAlgoPerf* r = results)
            Cudnn.Check(CudnnNative.cudnnFindConvolutionBackwardDataAlgorithmEx(handle.DangerousGetHandle(), wDesc.DangerousGetHandle(), w,
                dyDesc.DangerousGetHandle(), dy, conv.DangerousGetHandle(), dxDesc.DangerousGetHandle(), dx, results.Length, out returned, r, workspace,
                Bytes(workspaceBytes)), "cudnnFindConvolutionBackwardDataAlgorithmEx");
        return [.. results.Take(returned).Select(p => p.ToPerf())];
    }

    /// <summary>
    /// Benchmarks the backward-filter algorithms on the given buffers (<c>cudnnFindConvolutionBackwardFilterAlgorithmEx</c>),
    /// fastest first. <paramref name="dw"/> is overwritten. Synchronises: never during capture.
    /// </summary>
    public static ConvolutionAlgoPerf[] FindBackwardFilter(CudnnHandle handle, CudnnTensorDescriptor xDesc, ulong x, CudnnTensorDescriptor dyDesc, ulong dy,
        CudnnConvolutionDescriptor conv, CudnnFilterDescriptor dwDesc, ulong dw, ulong workspace, long workspaceBytes)
    {
        Cudnn.Check(CudnnNative.cudnnGetConvolutionBackwardFilterAlgorithmMaxCount(handle.DangerousGetHandle(), out var max),
            "cudnnGetConvolutionBackwardFilterAlgorithmMaxCount");
        var results = new CudnnConvolutionBwdFilterAlgoPerf[Math.Max(max, 1)];
        int returned;
        fixed (CudnnConvolutionBwdFilterAlgoPerf* r = results)
            Cudnn.Check(CudnnNative.cudnnFindConvolutionBackwardFilterAlgorithmEx(handle.DangerousGetHandle(), xDesc.DangerousGetHandle(), x,
                dyDesc.DangerousGetHandle(), dy, conv.DangerousGetHandle(), dwDesc.DangerousGetHandle(), dw, results.Length, out returned, r, workspace,
                Bytes(workspaceBytes)), "cudnnFindConvolutionBackwardFilterAlgorithmEx");
        return [.. results.Take(returned).Select(p => p.ToPerf())];
    }

    private static nuint Bytes(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        return (nuint)bytes;
    }
}
