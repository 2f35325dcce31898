namespace StaticGraph.Checkpoints;

/// <summary>One variable's saved value.</summary>
public sealed record SavedVariable(string Name, TensorType Type, byte[] Bytes);

/// <summary>The contents of a checkpoint: the run's position and every variable.</summary>
/// <param name="Step">Training steps completed.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Epoch">Epochs completed.</param>
/// <param name="Metadata">Free key/value pairs (model, data set, data-order state...).</param>
/// <param name="Variables">Parameters, optimizer state and running statistics.</param>
public sealed record CheckpointData(long Step, ulong Seed, int Epoch, IReadOnlyDictionary<string, string> Metadata, IReadOnlyList<SavedVariable> Variables);
