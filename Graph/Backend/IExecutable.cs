namespace StaticGraph.Backend;

/// <summary>A compiled program: feed inputs, run, read fetches and variables.</summary>
public interface IExecutable : IDisposable
{
    /// <summary>The program this executes.</summary>
    GraphProgram Program { get; }

    /// <summary>
    /// Training steps completed: the counter word of every random draw and the schedule's argument.
    /// Settable so that a resumed run continues where it stopped.
    /// </summary>
    long Step { get; set; }

    /// <summary>Check every node's output for NaN and infinity as it is computed (slow; for diagnosis).</summary>
    bool CheckFinite { get; set; }

    /// <summary>Check every update for NaN and infinity before applying any, leaving state untouched on failure.</summary>
    bool GuardUpdates { get; set; }

    /// <summary>Copies a value into the input named <paramref name="name"/>.</summary>
    void SetInput<T>(string name, ReadOnlySpan<T> values) where T : unmanaged;

    /// <summary>Runs the program once; a training program then applies its updates and advances <see cref="Step"/>.</summary>
    void Run();

    /// <summary>Copies out a fetched node's value (or a variable's) after a run.</summary>
    T[] Read<T>(Node node) where T : unmanaged;

    /// <summary>Copies out a variable's value by name.</summary>
    T[] ReadVariable<T>(string name) where T : unmanaged;

    /// <summary>A variable's raw bytes by name (checkpoints).</summary>
    byte[] ReadVariableBytes(string name);

    /// <summary>Overwrites a variable's raw bytes by name (checkpoint restore).</summary>
    void WriteVariableBytes(string name, ReadOnlySpan<byte> bytes);

    /// <summary>Copies a fetched node's value into <paramref name="destination"/> without allocating.</summary>
    void Read<T>(Node node, Span<T> destination) where T : unmanaged;

    /// <summary>Overwrites a variable's value by name (checkpoint restore).</summary>
    void WriteVariable<T>(string name, ReadOnlySpan<T> values) where T : unmanaged;

    /// <summary>What the last <see cref="Run"/> did with its updates (applied, or skipped and why).</summary>
    StepReport LastStep { get; }

    /// <summary>Bytes of memory this executable holds on its device: activations, scratch and the variables it owns.</summary>
    long AllocatedBytes { get; }

    /// <summary>
    /// State of the backend's own that a resumed run needs besides the variables and the step (the dynamic loss scale of
    /// an FP16 step, say), as text: checkpoints save it and give it back to <see cref="RestoreState"/>.
    /// </summary>
    IReadOnlyDictionary<string, string> SaveState();

    /// <summary>Restores what <see cref="SaveState"/> gave (keys it does not know are ignored; a missing key keeps the default).</summary>
    void RestoreState(IReadOnlyDictionary<string, string> state);
}

/// <summary>What a step did with its updates.</summary>
/// <param name="UpdatesApplied">False when the step's updates were skipped (the variables kept their values; the step counter still advanced).</param>
/// <param name="Note">Why they were skipped, e.g. an FP16 overflow; null when applied.</param>
public sealed record StepReport(bool UpdatesApplied, string? Note)
{
    /// <summary>A step whose updates were applied.</summary>
    public static StepReport Applied { get; } = new(true, null);
}
