namespace StaticGraph.Conformance.Ops;

/// <summary>Short forms for the case lists: a float input drawn from a generator, and a case with one output.</summary>
internal static class CaseHelpers
{
    /// <summary>A differentiable float input of N(0, 1) values (or <paramref name="values"/>).</summary>
    public static CaseInput In(string name, int[] shape, ValueSource? values = null) => new(name, shape, values ?? Values.Normal);

    /// <summary>A case with one output.</summary>
    public static OpCase Case<TOp>(string name, CaseInput[] inputs, Func<GraphBuilder, Node[], Node> build) where TOp : Op =>
        new(name, typeof(TOp), inputs, (b, x) => [build(b, x)]);

    /// <summary>A case with several outputs.</summary>
    public static OpCase Cases<TOp>(string name, CaseInput[] inputs, OutputsBuilder build) where TOp : Op => new(name, typeof(TOp), inputs, build);

    /// <summary>The case without gradients: the op has no gradient rule, or its rule is not the forward's derivative there.</summary>
    public static OpCase ForwardOnly(this OpCase c) => c with { Differentiable = false };

    /// <summary>The case in a training program (batch statistics, training-mode gradients).</summary>
    public static OpCase Training(this OpCase c) => c.InMode(ProgramMode.Training);

    /// <summary>The case in a program of <paramref name="mode"/>.</summary>
    public static OpCase InMode(this OpCase c, ProgramMode mode) => c with { Mode = mode };

    /// <summary>
    /// A random op's case: a training program (so the step advances between runs) whose outputs are compared with the
    /// CPU's draws bit for bit, or within the table's draw bound when <paramref name="transcendental"/>.
    /// </summary>
    public static OpCase Draws<TOp>(string name, CaseInput[] inputs, OutputsBuilder build, bool transcendental = false) where TOp : Op =>
        new(name, typeof(TOp), inputs, build)
        {
            Mode = ProgramMode.Training,
            Differentiable = false,
            Comparison = transcendental ? OpComparison.TranscendentalDraws : OpComparison.Draws,
        };
}
