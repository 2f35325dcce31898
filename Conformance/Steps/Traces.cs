namespace StaticGraph.Conformance.Steps;

/// <summary>The bits a run of a step program leaves after each step: every fetch, then every variable.</summary>
internal static class Traces
{
    /// <summary>Runs <paramref name="steps"/> steps and records, after each, the fetches and variables.</summary>
    public static List<(string What, Tensor Value)> Run(StepProgram program, DType dtype, ProgramCompiler compile, int steps)
    {
        var training = program.Build(dtype);
        using var run = compile(training, new CompileOptions(program.Seed));
        program.Feed(run, training);
        var trace = new List<(string, Tensor)>();
        for (var s = 0; s < steps; s++)
        {
            run.Run();
            trace.AddRange(training.Fetches.Select((f, k) => ($"fetch {k} ({f.Op.Name}) after step {s + 1}", Tensor.Read(run, f))));
            trace.AddRange(training.Variables.Select(v => ($"'{v.Name}' after step {s + 1}", Tensor.ReadVariable(run, v))));
        }
        return trace;
    }

    /// <summary>Bitwise equality of two traces; the first difference is the detail.</summary>
    public static Verdict Compare(List<(string What, Tensor Value)> first, List<(string What, Tensor Value)> second, string other)
    {
        for (var i = 0; i < first.Count; i++)
        {
            var m = Errors.Bitwise(first[i].Value, second[i].Value);
            if (m.Error > 0) return new Verdict(1, 0, $"{first[i].What}: {other} differs at {m.Where}");
        }
        return new Verdict(0, 0, $"{first.Count} tensors bitwise equal");
    }
}
