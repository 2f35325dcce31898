using System.Runtime.InteropServices;

namespace StaticGraph.Train.Commands;

/// <summary>
/// Turns SIGINT (Ctrl+C) and SIGTERM into a stop request, so that training writes a checkpoint after the current step
/// instead of dying mid-step. Under <c>mpirun</c> the ranks never see the SIGINT given to <c>mpirun</c>: Open MPI 4.1 ends
/// a job by sending each rank SIGCONT, then after <c>odls_base_sigkill_timeout</c> (1 s by default) SIGTERM, then after as
/// long again SIGKILL. So a rank started by a launcher also takes a SIGCONT that does not end a job-control stop
/// (SIGTSTP, which <c>mpirun</c> forwards on Ctrl+Z) as the first word of that sequence: the stop starts at once, and the
/// whole grace period is left for the step and the checkpoint (docs/distributed.md).
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly bool _quiet;
    private volatile bool _suspended;

    private StopSignals(bool underLauncher, bool quiet)
    {
        _quiet = quiet;
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, c => Request(c, "stop requested")));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => Request(c, "stop requested")));
        if (!underLauncher || OperatingSystem.IsWindows()) return;
        // Left uncancelled, SIGTSTP still stops the process; the SIGCONT that resumes it is then no stop request.
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTSTP, _ => _suspended = true));
        _registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGCONT, context =>
        {
            if (_suspended) _suspended = false;
            else Request(context, "the launcher is ending the job (SIGCONT)");
        }));
    }

    /// <summary>Cancelled when a stop signal arrives.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>
    /// Starts listening; <paramref name="underLauncher"/> adds the launcher's SIGCONT, and <paramref name="quiet"/> leaves
    /// the notice to another rank.
    /// </summary>
    public static StopSignals Install(bool underLauncher = false, bool quiet = false) => new(underLauncher, quiet);

    private void Request(PosixSignalContext context, string why)
    {
        context.Cancel = true; // keep the process alive until the checkpoint is written
        if (!_source.IsCancellationRequested && !_quiet) Console.Error.WriteLine($"{why}: finishing the step and writing a checkpoint");
        _source.Cancel();
    }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _source.Dispose();
    }
}
