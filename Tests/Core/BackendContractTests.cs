using StaticGraph.Backend;
using StaticGraph.Backend.Cpu;
using StaticGraph.Ops;
using Xunit;

namespace StaticGraph.Tests.Core;

/// <summary>What every backend's executable guarantees through the shared contract, and how backends are found by name.</summary>
public class BackendContractTests
{
    private static GraphProgram TwoInputs()
    {
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 4);
        var y = b.Input("y", DType.F32, 4);
        return GraphProgram.Inference(b.Add(x, y));
    }

    [Fact]
    public void Running_with_an_input_never_set_is_an_error_naming_it()
    {
        var program = TwoInputs();
        using var run = CpuBackend.Instance.Compile(program, new CompileOptions(Threads: 1));
        run.SetInput<float>("x", [1, 2, 3, 4]);
        var e = Assert.Throws<InvalidOperationException>(run.Run);
        Assert.Contains("input 'y' of the program was never set", e.Message);
        run.SetInput<float>("y", [1, 1, 1, 1]);
        run.Run();
        Assert.Equal([2f, 3, 4, 5], run.Read<float>(program.Fetches[0]));
    }

    [Fact]
    public void A_training_programs_learning_rate_needs_no_feeding()
    {
        var b = new GraphBuilder(DType.F32);
        var x = b.Input("x", DType.F32, 2, 3);
        var w = b.Parameter("w", Initializer.Uniform(0.5), [3, 1]);
        var training = Autodiff.Train(b.SumAll(b.MatMul(x, w)), new Sgd(0, 0, Nesterov: false), Schedule.Constant(0.1));
        using var run = CpuBackend.Instance.Compile(training, new CompileOptions(Threads: 1));
        run.SetInput<float>("x", [1, 2, 3, 4, 5, 6]);
        run.Run();
        Assert.Equal(1, run.Step);
        Assert.True(run.LastStep.UpdatesApplied);
        Assert.True(run.AllocatedBytes > 0);
    }

    [Fact]
    public void Feeding_the_wrong_input_type_or_length_names_the_input()
    {
        using var run = CpuBackend.Instance.Compile(TwoInputs(), new CompileOptions(Threads: 1));
        Assert.Contains("no input named 'z' (inputs: x, y)", Assert.Throws<KeyNotFoundException>(() => run.SetInput<float>("z", [1])).Message);
        Assert.Contains("input 'x' is f32[4]: expected 4 values, got 3", Assert.Throws<ArgumentException>(() => run.SetInput<float>("x", [1, 2, 3])).Message);
        Assert.Contains("input 'x'", Assert.Throws<ArgumentException>(() => run.SetInput<double>("x", [1, 2, 3, 4])).Message);
    }

    [Fact]
    public void Backends_are_found_by_name_and_refuse_what_they_cannot_do()
    {
        Assert.Contains("cpu", Backends.Names);
        // The CUDA backend's assembly is beside the test program: found through its attribute, whether or not a GPU is here.
        Assert.Contains("cuda", Backends.Names);
        Assert.Same(CpuBackend.Instance, Backends.Resolve("cpu"));
        Assert.Contains("unknown backend 'tpu'", Assert.Throws<ArgumentException>(() => Backends.Resolve("tpu")).Message);
        Assert.Contains("needs a GPU backend", Assert.Throws<ArgumentException>(() => Backends.Resolve("cpu", new BackendSettings("bf16"))).Message);
        Assert.Contains("precision must be one of", Assert.Throws<ArgumentException>(() => Backends.Resolve("cpu", new BackendSettings("int8"))).Message);
        if (Backends.Find("cuda")!.Unavailable() is { } why)
        {
            var notes = new StringWriter();
            Assert.Same(CpuBackend.Instance, Backends.Resolve(Backends.Auto, notes: notes));
            Assert.Contains(why, notes.ToString());
            Assert.Contains(why, Assert.Throws<ArgumentException>(() => Backends.Resolve("cuda")).Message);
        }
    }

    [Fact]
    public void Every_provider_names_its_device_and_reports_without_throwing()
    {
        foreach (var provider in Backends.Providers)
        {
            Assert.False(string.IsNullOrWhiteSpace(provider.DeviceName));
            Assert.NotEmpty(provider.Report());
        }
    }
}
