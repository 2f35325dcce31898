using StaticGraph.Backend.Cpu;

namespace StaticGraph.Conformance.Steps;

/// <summary>
/// One training step of a program on the target against the f64 CPU reference: the initial variables (initialised from
/// Philox by name on both sides) within the per-op bound, then — the reference started from the target's very values
/// and fed the same rounded inputs — the loss, the logits, the step's updates of all variables together and of each
/// variable within the table's step bounds (<see cref="Tolerance"/> says how each is measured, and why updates are compared
/// by norm rather than element by element).
/// </summary>
/// <param name="Program">The program.</param>
public sealed record StepCase(StepProgram Program) : ConformanceCase(Program.Name)
{
    /// <summary>How often an FP16 step whose updates were skipped (loss-scale overflow) is tried again at a halved scale.</summary>
    private const int Attempts = 25;

    /// <inheritdoc/>
    public override string Family => "step";

    /// <inheritdoc/>
    protected override Verdict Check(ConformanceTarget target)
    {
        var tolerance = target.Tolerance;
        var training = Program.Build(target.DType);
        var reference = Program.Build(DType.F64);
        using var run = target.Compile(training, new CompileOptions(Program.Seed));
        // The reference on every core: its partition of work does not depend on the thread count.
        using var expected = CpuBackend.Instance.Compile(reference, new CompileOptions(Program.Seed));

        Verdict? worst = null;
        var initial = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (v, r) in training.Variables.Zip(reference.Variables))
        {
            initial[v.Name!] = Tensor.ReadVariable(run, v);
            var m = Errors.Relative(Tensor.ReadVariable(expected, r).Values, initial[v.Name!].Values);
            worst = Verdict.Worse(worst, new Verdict(m.Error, tolerance.Op, $"initial '{v.Name}', {m.Where}"));
            Values.Write(expected, r, initial[v.Name!].Values);
        }

        Program.Feed(run, training);
        Program.Feed(expected, reference);
        for (var attempt = 0; ; attempt++)
        {
            run.Step = 0;
            run.Run();
            if (run.LastStep.UpdatesApplied) break;
            if (attempt == Attempts) throw new InvalidOperationException($"{Attempts} steps in a row skipped their updates: {run.LastStep.Note}");
        }
        expected.Run();

        var measured = new List<string>();
        var loss = Errors.Scalar(Tensor.Read(expected, reference.Fetches[0]).Values[0], Tensor.Read(run, training.Fetches[0]).Values[0]);
        worst = Verdict.Worse(worst, new Verdict(loss.Error, tolerance.Loss, $"loss: expected {loss.Expected:R}, got {loss.Actual:R}"));
        measured.Add($"loss {loss.Error:E1}");
        if (training.Fetches.Count > 1)
        {
            var (e, a) = (Tensor.Read(expected, reference.Fetches[1]).Values, Tensor.Read(run, training.Fetches[1]).Values);
            var m = tolerance.ByNorm ? Errors.RelativeL2(e, a) : Errors.Relative(e, a);
            worst = Verdict.Worse(worst, new Verdict(m.Error, tolerance.Logits, $"logits, {m.Where}"));
            measured.Add($"logits {m.Error:E1}");
        }
        // Each variable's update: its value after the step minus the common starting value.
        var updates = training.Variables.Zip(reference.Variables).Select(p =>
        {
            var start = initial[p.First.Name!].Values;
            return (Name: p.First.Name!, Expected: Tensor.ReadVariable(expected, p.Second).Values.Select((x, i) => x - start[i]).ToArray(),
                Actual: Tensor.ReadVariable(run, p.First).Values.Select((x, i) => x - start[i]).ToArray());
        }).ToList();
        var all = Errors.RelativeL2([.. updates.SelectMany(u => u.Expected)], [.. updates.SelectMany(u => u.Actual)]);
        worst = Verdict.Worse(worst, new Verdict(all.Error, tolerance.Updates, "the updates of every variable together, by norm"));
        measured.Add($"updates {all.Error:E1}");
        var floor = 1e-3 * updates.Max(u => Math.Sqrt(u.Expected.Sum(x => x * x)));
        var variable = updates.Select(u => (u.Name, Errors.Update(u.Expected, u.Actual, floor).Error)).MaxBy(v => v.Error);
        worst = Verdict.Worse(worst, new Verdict(variable.Error, tolerance.Variable, $"the update of '{variable.Name}', by norm"));
        measured.Add($"variable {variable.Error:E1} ('{variable.Name}')");
        return worst! with { Detail = $"{string.Join(", ", measured)}; worst against its bound: {worst!.Detail}" };
    }
}
