namespace StaticGraph.Conformance;

/// <summary>Builds the outputs of a gradient check (or an op case) from its fed inputs, in order.</summary>
public delegate Node[] OutputsBuilder(GraphBuilder b, Node[] inputs);

/// <summary>
/// What <see cref="GradientChecker"/> differentiates: f64 inputs <c>x0, x1, ...</c> of the given shapes and values, the
/// outputs built from them (non-differentiable operands, such as labels or indices, are constants made inside
/// <see cref="Build"/>), and the program's mode, seed and step, which every run of the check shares so that random ops
/// draw the same values each time.
/// </summary>
/// <param name="Name">What is checked, for messages.</param>
/// <param name="Shapes">Every input's shape.</param>
/// <param name="Values">Every input's values, row-major.</param>
/// <param name="Build">The outputs; the loss is the sum over them of sum(output * r) with fixed random weights r.</param>
public sealed record GradientProblem(string Name, int[][] Shapes, double[][] Values, OutputsBuilder Build)
{
    /// <summary>Which inputs to differentiate with respect to (null: every one).</summary>
    public bool[]? Differentiate { get; init; }

    /// <summary>The program's mode: batch normalisation's gradient, and every regularizer's, is a training-mode one.</summary>
    public ProgramMode Mode { get; init; } = ProgramMode.Inference;

    /// <summary>The run's seed (the Philox key of the random ops).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The step every run happens at (the counter word of the draws).</summary>
    public long Step { get; init; }

    /// <summary>Nodes whose values come back with the analytic run (the draws, say), found once the outputs are built.</summary>
    public Func<GraphBuilder, Node[]>? Extra { get; init; }

    /// <summary>A problem with one output.</summary>
    public static GradientProblem Of(string name, int[][] shapes, double[][] values, Func<GraphBuilder, Node[], Node> build)
    {
        ArgumentNullException.ThrowIfNull(build);
        return new GradientProblem(name, shapes, values, (b, x) => [build(b, x)]);
    }

    /// <summary>Whether input <paramref name="i"/> is differentiated.</summary>
    public bool Differentiates(int i) => Differentiate is null || Differentiate[i];
}

/// <summary>What <see cref="GradientChecker.Differentiate"/> found, for checks of its own besides the checker's.</summary>
/// <param name="Analytic">Autodiff's gradient of each input (zeros where autodiff gave none; empty for inputs not differentiated).</param>
/// <param name="Numeric">The central differences of each input (empty for inputs not differentiated).</param>
/// <param name="Extra">The values of <see cref="GradientProblem.Extra"/>'s nodes after the analytic run.</param>
/// <param name="Weights">The weights r of each output in the loss.</param>
/// <param name="Missing">Whether autodiff gave no gradient for each input.</param>
public sealed record GradientReport(double[][] Analytic, double[][] Numeric, double[][] Extra, double[][] Weights, bool[] Missing);

/// <summary>Raised when a gradient element disagrees with its central difference beyond the checker's tolerance.</summary>
public sealed class GradientMismatchException(string message) : Exception(message);
