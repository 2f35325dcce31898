namespace StaticGraph.Cuda.Kernels;

/// <summary>
/// The device half of the data pipeline: a batch assembled from the data set's bytes already on the device, with the
/// host's augmentation choices (crop shift and flip per image, drawn exactly as the CPU assembler draws them) and its
/// byte-to-float tables (so normalisation gives the CPU's bits). Per image the plan holds four ints: data-set index,
/// vertical shift, horizontal shift, flip.
/// </summary>
public static class BatchAssemblySource
{
    /// <summary>Ints per image in the plan.</summary>
    public const int PlanStride = StaticGraph.Backend.ImageBatchPlan.Stride;

    /// <summary>
    /// <c>out[p, c, y, x]</c> = the table value of the source byte (0 outside the image: the padding's byte).
    /// Arguments: pixels, plan, tables (channels × 256 floats), out, n, channels, height, width.
    /// </summary>
    public static CudaKernelSource Images { get; } = CudaKernelSource.Create("sg_assemble_images",
        [
            new("const unsigned char* __restrict__", "pixels"), new("const int* __restrict__", "plan"),
            new("const float* __restrict__", "tables"), new("float* __restrict__", "out"), KernelTypes.Count,
            new("int", "channels"), new("int", "height"), new("int", "width"),
        ],
        $$"""
            const long long plane = (long long)height * width, image = channels * plane;
            {{KernelTypes.IndexLoop}}
            {
                const long long p = i / image;
                const int c = (int)(i / plane % channels);
                const int y = (int)(i / width % height), x = (int)(i % width);
                const int* q = plan + {{PlanStride}} * p;
                const int sy = y + q[1];
                const int sx = (q[3] != 0 ? width - 1 - x : x) + q[2];
                int value = 0;
                if ((unsigned int)sy < (unsigned int)height && (unsigned int)sx < (unsigned int)width)
                    value = pixels[(long long)q[0] * image + c * plane + (long long)sy * width + sx];
                out[i] = tables[c * 256 + value];
            }
        """);

    /// <summary><c>out[p] = labels[plan[p].index]</c>. Arguments: labels, plan, out, n.</summary>
    public static CudaKernelSource Labels { get; } = CudaKernelSource.Create("sg_assemble_labels",
        [new("const int* __restrict__", "labels"), new("const int* __restrict__", "plan"), new("int* __restrict__", "out"), KernelTypes.Count],
        $$"""
            {{KernelTypes.IndexLoop}}
                out[i] = labels[plan[{{PlanStride}} * i]];
        """);
}
