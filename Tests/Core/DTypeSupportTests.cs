using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Cuda.Backend;
using StaticGraph.Cuda.Lowering;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Core;

/// <summary>Backends declare the dtypes they compute; compiling anything else fails at once, naming the node.</summary>
public class DTypeSupportTests
{
    private static GraphProgram HalfProgram(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", DType.F32, 2, 3);
        return GraphProgram.Inference(b.Relu(b.Cast(x, dtype)));
    }

    [Theory]
    [InlineData(DType.F16, "f16")]
    [InlineData(DType.BF16, "bf16")]
    public void The_cpu_backend_refuses_a_half_precision_program_naming_the_node_its_op_and_dtype(DType dtype, string name)
    {
        var e = Assert.Throws<NotSupportedException>(() => CpuBackend.Instance.Compile(HalfProgram(dtype), new CompileOptions()));
        Assert.Equal($"%1 = cast(%0) to={name} : {name}[2,3]: the cpu backend computes f32, f64 and i32, not {name}", e.Message);
    }

    [Fact]
    public void The_cuda_backend_refuses_it_before_touching_a_device()
    {
        var e = Assert.Throws<NotSupportedException>(() => CudaBackend.Default.Compile(HalfProgram(DType.F16), new CompileOptions()));
        Assert.Equal("%1 = cast(%0) to=f16 : f16[2,3]: the cuda backend computes f32, f64 and i32, not f16", e.Message);
        e = Assert.Throws<NotSupportedException>(() => CudaPlanner.Plan(HalfProgram(DType.BF16)));
        Assert.StartsWith("%1 = cast(%0) to=bf16 : bf16[2,3]: the cuda backend", e.Message);
    }

    [Fact]
    public void Both_backends_declare_f32_f64_and_i32()
    {
        DType[] expected = [DType.F32, DType.F64, DType.I32];
        Assert.Equal(expected, CpuBackend.Instance.SupportedDTypes.Order());
        Assert.Equal(expected, CudaBackend.Default.SupportedDTypes.Order());
    }

    [Theory]
    [InlineData(DType.F32, typeof(float))]
    [InlineData(DType.F64, typeof(double))]
    public void A_generic_kernel_is_instantiated_with_the_element_type_of_the_nodes_dtype(DType dtype, Type expected)
    {
        var b = new GraphBuilder(dtype);
        var y = b.Apply(new FloatOnlyCopyOp(), b.Input("x", dtype, 3));
        using var run = CpuBackend.Instance.CompileCpu(GraphProgram.Inference(y), new CompileOptions(Threads: 1));
        var kernel = typeof(FloatOnlyCopyKernel<>).MakeGenericType(expected);
        Assert.Equal(expected, kernel.GetProperty(nameof(FloatOnlyCopyKernel<float>.ElementType))!.GetValue(null));
        Assert.Equal([DType.F32, DType.F64], CpuKernelRegistry.DTypesOf(typeof(FloatOnlyCopyOp)).Order());
    }

    [Fact]
    public void A_dtype_the_backend_has_but_a_kernel_does_not_is_refused_naming_the_node()
    {
        var b = new GraphBuilder();
        var y = b.Apply(new FloatOnlyCopyOp(), b.Input("labels", DType.I32, 4));
        var e = Assert.Throws<NotSupportedException>(() => CpuBackend.Instance.Compile(GraphProgram.Inference(y), new CompileOptions()));
        Assert.Equal("%1 = float_only_copy(%0) : i32[4]: the CPU kernel of float_only_copy computes f32 and f64, not i32", e.Message);
    }

    [Fact]
    public void The_float_kernels_serve_f32_and_f64_and_the_byte_kernels_every_dtype()
    {
        foreach (var op in new[] { typeof(Conv2dOp), typeof(BatchNormOp), typeof(BatchNormBackwardOp), typeof(UnaryOp), typeof(BinaryOp), typeof(UniformOp), typeof(SgdParamOp) })
            Assert.Equal([DType.F32, DType.F64], CpuKernelRegistry.DTypesOf(op).Order());
        foreach (var op in new[] { typeof(SliceOp), typeof(ConcatOp), typeof(CastOp), typeof(GatherRowsOp) })
            Assert.Equal([DType.F32, DType.F64, DType.I32], CpuKernelRegistry.DTypesOf(op).Order());
    }
}
