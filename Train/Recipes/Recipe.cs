using StaticGraph.Train.Training;

namespace StaticGraph.Train.Recipes;

/// <summary>
/// One published result as a runnable configuration: the options that reproduce the row (model, data set,
/// epochs, batch, schedule, weight decay, augmentation, regularizers, precision) and what the publication
/// reported for it, so a user can compare a run with the figure it claims to reproduce.
/// </summary>
/// <param name="Name">The name `train --recipe` takes.</param>
/// <param name="Group">The published table the row belongs to (its source, hardware and provenance notes).</param>
/// <param name="Row">The row's label as published, e.g. "WRN-28-10, Cutout 16".</param>
/// <param name="Options">The training options; the output folder is runs/NAME.</param>
/// <param name="PublishedError">The test error (%) as published, with how it was aggregated.</param>
/// <param name="PublishedTime">The training time as published; null where the publication gives none.</param>
public sealed record Recipe(string Name, RecipeGroup Group, string Row, TrainOptions Options, string PublishedError, string? PublishedTime);
