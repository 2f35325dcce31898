namespace StaticGraph.Cuda.Native;

/// <summary>The <c>CUdevice_attribute</c> values the bindings query (numbers from <c>cuda.h</c>; only the ones used are listed).</summary>
internal enum CudaDeviceAttribute
{
    /// <summary><c>CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK</c>.</summary>
    MaxThreadsPerBlock = 1,

    /// <summary><c>CU_DEVICE_ATTRIBUTE_WARP_SIZE</c>.</summary>
    WarpSize = 10,

    /// <summary><c>CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT</c>.</summary>
    MultiprocessorCount = 16,

    /// <summary><c>CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR</c>.</summary>
    ComputeCapabilityMajor = 75,

    /// <summary><c>CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR</c>.</summary>
    ComputeCapabilityMinor = 76,

    /// <summary><c>CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN</c>.</summary>
    MaxSharedMemoryPerBlockOptin = 97,
}
