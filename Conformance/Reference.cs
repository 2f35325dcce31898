using StaticGraph.Backend.Cpu;

namespace StaticGraph.Conformance;

/// <summary>
/// Runs a program once on the CPU backend (the reference in f64, the fast path in f32) and reads every fetch back: the
/// runner the kit's comparisons and the CPU-only tests share, so that feeding by name, the step, the seed and reading any
/// dtype are written once.
/// </summary>
public static class Reference
{
    /// <summary>
    /// Every fetch of <paramref name="program"/> after one run at (<paramref name="seed"/>, <paramref name="step"/>), each
    /// input of the program fed from <paramref name="feeds"/> by name (values rounded to the input's dtype); inputs the
    /// program pruned may be given and are ignored.
    /// </summary>
    public static Tensor[] Run(GraphProgram program, IReadOnlyDictionary<string, double[]>? feeds = null, ulong seed = 0, long step = 0, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(program);
        using var run = CpuBackend.Instance.Compile(program, new CompileOptions(seed, threads));
        run.Step = step;
        foreach (var input in program.Inputs.Where(i => i != program.LearningRate))
        {
            if (feeds is null || !feeds.TryGetValue(input.Name!, out var values))
                throw new ArgumentException($"no values for input '{input.Name}' of the program");
            Values.Feed(run, input.Name!, input.DType, Values.Round(values, input.DType));
        }
        run.Run();
        return [.. program.Fetches.Select(f => Tensor.Read(run, f))];
    }
}
