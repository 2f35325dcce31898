namespace StaticGraph.Regularizers;

/// <summary>
/// A regularizer as users choose it by name (the command line, recipes): what it is called, what it does, its parameters
/// with their checks, and how it joins a model or an objective. Each regularizer's file holds its definition; the
/// catalogue (<see cref="RegularizerCatalog"/>) lists them, and nothing else names them.
/// </summary>
public interface IRegularizerDefinition
{
    /// <summary>The name users choose it by, e.g. <c>cutout</c> (the command line's <c>--cutout</c>).</summary>
    string Name { get; }

    /// <summary>One line saying what it does, with its source.</summary>
    string Summary { get; }

    /// <summary>Its parameters; at most one is <see cref="RegularizerParameter.Primary"/>.</summary>
    IReadOnlyList<RegularizerParameter> Parameters { get; }

    /// <summary>Checks across parameters once each is valid on its own (e.g. Shake-Shake's combinations); throws <see cref="ArgumentException"/>.</summary>
    void Check(RegularizerArguments arguments)
    {
    }
}

/// <summary>A regularizer of the batch or the loss (Cutout, Mixup, label smoothing...): it adds itself to the objective.</summary>
public interface IBatchRegularizerDefinition : IRegularizerDefinition
{
    /// <summary>Where it goes among the batch regularizers (lower first): per-image augmentations before batch mixing, as hysts' pipeline.</summary>
    int Order { get; }

    /// <summary>
    /// Regularizers sharing a group cannot be combined; the group's text says why (e.g. "each replace the batch's images and
    /// targets in their own way"). Null when it combines with any.
    /// </summary>
    string? ExclusiveGroup { get; }

    /// <summary>Other regularizers it cannot be combined with, each with the reason.</summary>
    IReadOnlyList<(string Other, string Reason)> Excludes => [];

    /// <summary>Adds itself, built from <paramref name="arguments"/>, to <paramref name="recipe"/>.</summary>
    void AddTo(ObjectiveRecipe recipe, RegularizerArguments arguments);
}

/// <summary>
/// A regularizer inside a model (Shake-Shake, ShakeDrop, stochastic depth...): the models that have a place for it read
/// its arguments when they are built; the zoo says which models accept it.
/// </summary>
public interface IModelRegularizerDefinition : IRegularizerDefinition;
