namespace StaticGraph.Train.Recipes;

/// <summary>
/// A published table whose rows are recipes: where it is, on what hardware its times were measured, and which
/// of its rows' settings the table states and which come from elsewhere (configuration files of the time,
/// the authors' commands), so no figure in a recipe is unexplained.
/// </summary>
/// <param name="Title">The table, e.g. "hysts, Results on CIFAR-10 (cosine annealing, lr 0.2)".</param>
/// <param name="Source">Where it is published.</param>
/// <param name="Hardware">What the published times were measured on.</param>
/// <param name="Provenance">Which values are stated by the table and which are taken from elsewhere.</param>
public sealed record RecipeGroup(string Title, string Source, string Hardware, string Provenance);
