namespace StaticGraph.Conformance.Steps;

/// <summary>
/// A training program the kit runs whole: built in any float dtype, with the values of its inputs. Its fetches are the
/// loss, then (when there is one) the logits; its variables are every parameter, momentum buffer and running statistic.
/// </summary>
/// <param name="Name">The program's name (a zoo model, with its regularizer or objective after a '+').</param>
/// <param name="Build">The training program in the given float dtype.</param>
/// <param name="Feeds">Every input's values by name (i32 inputs hold integers), the same for every dtype.</param>
public sealed record StepProgram(string Name, Func<DType, GraphProgram> Build, Func<IReadOnlyDictionary<string, double[]>> Feeds)
{
    /// <summary>The run's seed: initial weights and every draw.</summary>
    public ulong Seed { get; init; } = 11;

    /// <summary>The inference program of a training program's logits (its second fetch), or null when it has none.</summary>
    public static GraphProgram? InferenceOf(GraphProgram training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return training.Fetches.Count > 1 ? GraphProgram.Inference(training.Fetches[1]) : null;
    }

    /// <summary>Feeds every input of <paramref name="program"/> its values, rounded to the input's dtype.</summary>
    public void Feed(IExecutable run, GraphProgram program)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(program);
        var feeds = Feeds();
        foreach (var input in program.Inputs.Where(i => i != program.LearningRate))
        {
            if (!feeds.TryGetValue(input.Name!, out var values))
                throw new InvalidOperationException($"step program '{Name}' has no values for input '{input.Name}'");
            Values.Feed(run, input.Name!, input.DType, Values.Round(values, input.DType));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
