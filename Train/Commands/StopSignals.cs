using System.Runtime.InteropServices;

namespace StaticGraph.Train.Commands;

/// <summary>
/// Turns SIGINT (Ctrl+C) and SIGTERM into a stop request, so that training writes a checkpoint
/// after the current step instead of dying mid-step.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    private StopSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Request);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Request);
    }

    /// <summary>Cancelled when a stop signal arrives.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Starts listening.</summary>
    public static StopSignals Install() => new();

    private void Request(PosixSignalContext context)
    {
        context.Cancel = true; // keep the process alive until the checkpoint is written
        if (!_source.IsCancellationRequested) Console.Error.WriteLine("stop requested: finishing the step and writing a checkpoint");
        _source.Cancel();
    }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _source.Dispose();
    }
}
