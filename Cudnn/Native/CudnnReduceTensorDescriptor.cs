using System.Runtime.InteropServices;

namespace StaticGraph.Cuda.Native;

/// <summary>A cuDNN reduction (<c>cudnnReduceTensorDescriptor_t</c>) with its size queries and call; released with <c>cudnnDestroyReduceTensorDescriptor</c>.</summary>
public sealed unsafe class CudnnReduceTensorDescriptor : SafeHandle
{
    private CudnnReduceTensorDescriptor() : base(0, true) { }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == 0;

    /// <summary>Creates the reduction (<c>cudnnSetReduceTensorDescriptor</c>); indices (min and max only) are off by default.</summary>
    public static CudnnReduceTensorDescriptor Create(CudnnReduceTensorOp op, CudnnDataType computeType, CudnnNanPropagation nan = CudnnNanPropagation.Propagate,
        CudnnReduceTensorIndices indices = CudnnReduceTensorIndices.None, CudnnIndicesType indicesType = CudnnIndicesType.Bits32)
    {
        Cudnn.Check(CudnnNative.cudnnCreateReduceTensorDescriptor(out var raw), "cudnnCreateReduceTensorDescriptor");
        var created = new CudnnReduceTensorDescriptor();
        created.SetHandle(raw);
        try
        {
            Cudnn.Check(CudnnNative.cudnnSetReduceTensorDescriptor(raw, op, computeType, nan, indices, indicesType), "cudnnSetReduceTensorDescriptor");
        }
        catch
        {
            created.Dispose();
            throw;
        }
        return created;
    }

    /// <summary>Workspace bytes for reducing <paramref name="aDesc"/> into <paramref name="cDesc"/> (<c>cudnnGetReductionWorkspaceSize</c>).</summary>
    public long WorkspaceSize(CudnnHandle cudnn, CudnnTensorDescriptor aDesc, CudnnTensorDescriptor cDesc)
    {
        Cudnn.Check(CudnnNative.cudnnGetReductionWorkspaceSize(cudnn.DangerousGetHandle(), DangerousGetHandle(), aDesc.DangerousGetHandle(),
            cDesc.DangerousGetHandle(), out var bytes), "cudnnGetReductionWorkspaceSize");
        return (long)bytes;
    }

    /// <summary>Index-space bytes for reducing <paramref name="aDesc"/> into <paramref name="cDesc"/> (<c>cudnnGetReductionIndicesSize</c>).</summary>
    public long IndicesSize(CudnnHandle cudnn, CudnnTensorDescriptor aDesc, CudnnTensorDescriptor cDesc)
    {
        Cudnn.Check(CudnnNative.cudnnGetReductionIndicesSize(cudnn.DangerousGetHandle(), DangerousGetHandle(), aDesc.DangerousGetHandle(),
            cDesc.DangerousGetHandle(), out var bytes), "cudnnGetReductionIndicesSize");
        return (long)bytes;
    }

    /// <summary>C = reduce(alpha * A) + beta * C over the dimensions where C is 1 (<c>cudnnReduceTensor</c>).</summary>
    public void Reduce(CudnnHandle cudnn, ulong indices, long indicesBytes, ulong workspace, long workspaceBytes, double alpha, CudnnTensorDescriptor aDesc,
        ulong a, double beta, CudnnTensorDescriptor cDesc, ulong c)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(indicesBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(workspaceBytes);
        CudnnScalar sa = new(alpha), sb = new(beta);
        Cudnn.Check(CudnnNative.cudnnReduceTensor(cudnn.DangerousGetHandle(), DangerousGetHandle(), indices, (nuint)indicesBytes, workspace, (nuint)workspaceBytes,
            Cudnn.ScalingPointer(&sa, cDesc.DataType), aDesc.DangerousGetHandle(), a, Cudnn.ScalingPointer(&sb, cDesc.DataType), cDesc.DangerousGetHandle(), c),
            "cudnnReduceTensor");
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => CudnnNative.cudnnDestroyReduceTensorDescriptor(handle) == 0;
}
