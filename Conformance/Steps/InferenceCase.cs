using StaticGraph.Backend.Cpu;

namespace StaticGraph.Conformance.Steps;

/// <summary>
/// The inference program of a step program's logits (batch normalisation on running statistics, every regularizer at its
/// expectation) on the target against the f64 CPU reference, both with the variables initialised by name: the logits
/// within the table's logits bound.
/// </summary>
/// <param name="Program">The program (it must fetch logits).</param>
public sealed record InferenceCase(StepProgram Program) : ConformanceCase(Program.Name)
{
    /// <inheritdoc/>
    public override string Family => "inference";

    /// <inheritdoc/>
    protected override Verdict Check(ConformanceTarget target)
    {
        var inference = StepProgram.InferenceOf(Program.Build(target.DType)) ?? throw new InvalidOperationException($"'{Program.Name}' fetches no logits");
        var reference = StepProgram.InferenceOf(Program.Build(DType.F64))!;
        using var run = target.Compile(inference, new CompileOptions(Program.Seed));
        using var expected = CpuBackend.Instance.Compile(reference, new CompileOptions(Program.Seed));
        foreach (var (v, r) in inference.Variables.Zip(reference.Variables))
            Values.Write(expected, r, Tensor.ReadVariable(run, v).Values);
        Program.Feed(run, inference);
        Program.Feed(expected, reference);
        run.Run();
        expected.Run();
        var (e, a) = (Tensor.Read(expected, reference.Fetches[0]).Values, Tensor.Read(run, inference.Fetches[0]).Values);
        var tolerance = target.Tolerance;
        var m = tolerance.ByNorm ? Errors.RelativeL2(e, a) : Errors.Relative(e, a);
        return new Verdict(m.Error, tolerance.Logits, $"logits, {m.Where}");
    }
}
