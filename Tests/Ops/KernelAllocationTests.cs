using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Conformance;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Ops;

public class KernelAllocationTests
{
    [Theory]
    [InlineData(DType.F32)]
    [InlineData(DType.F64)]
    public void A_run_of_every_new_op_and_its_gradient_allocates_nothing(DType dtype)
    {
        var b = new GraphBuilder(dtype);
        var x = b.Input("x", dtype, 8, 6);
        var w = b.Input("w", dtype, 6, 5);
        var idx = b.Constant([3, 0, 3, 7, 1, 2, 5, 4], DType.I32, 8);
        var h = b.MatMul(b.GatherRows(x, idx), w);
        var t = b.Transpose(b.Pad(h, [1, 0], [0, 2], 0.5), 1, 0);
        var joined = b.Concat(0, b.Slice(t, 0, 1, 6), b.Softmax(b.Slice(t, 0, 0, 2)), b.LogSoftmax(b.Slice(t, 0, 2, 4)));
        var logits = b.Transpose(joined, 1, 0);
        var loss = b.Add(
            b.SoftmaxCrossEntropy(logits, b.Constant([0, 1, 2, 3, 4, 5, 6, 7, 8], DType.I32, 9), 0.1),
            b.SoftmaxCrossEntropy(logits, b.Softmax(b.StopGradient(logits))));
        var grads = Autodiff.Gradients(loss, [x, w]);
        using var run = CpuBackend.Instance.Compile(GraphProgram.Inference(loss, grads[x], grads[w]), new CompileOptions(Threads: 1));
        void Feed()
        {
            if (dtype == DType.F32)
            {
                run.SetInput<float>("x", Values.Normal(48, 2).Select(v => (float)v).ToArray());
                run.SetInput<float>("w", Values.Normal(30, 20).Select(v => (float)v).ToArray());
            }
            else
            {
                run.SetInput<double>("x", Values.Normal(48, 2));
                run.SetInput<double>("w", Values.Normal(30, 20));
            }
        }
        Feed();
        run.Run(); // the first run may warm up lazily initialised runtime state
        Feed();
        // One thread runs every task inline, so the calling thread's count sees all kernel code and
        // nothing from tests running beside this one.
        var before = GC.GetAllocatedBytesForCurrentThread();
        run.Run();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(double.IsFinite(dtype == DType.F32 ? run.Read<float>(loss)[0] : run.Read<double>(loss)[0]));
    }
}
