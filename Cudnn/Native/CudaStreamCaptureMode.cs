namespace StaticGraph.Cuda.Native;

/// <summary><c>CUstreamCaptureMode</c> (values from <c>cuda.h</c>): which threads' unsafe calls fail a capture in progress.</summary>
internal enum CudaStreamCaptureMode
{
    /// <summary><c>CU_STREAM_CAPTURE_MODE_GLOBAL</c>: unsafe calls from any thread fail while any global capture is active.</summary>
    Global = 0,

    /// <summary><c>CU_STREAM_CAPTURE_MODE_THREAD_LOCAL</c>: only unsafe calls of the capturing thread fail.</summary>
    ThreadLocal = 1,

    /// <summary><c>CU_STREAM_CAPTURE_MODE_RELAXED</c>: unsafe calls are not prohibited.</summary>
    Relaxed = 2,
}
