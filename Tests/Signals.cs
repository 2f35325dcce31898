namespace StaticGraph.Tests;

/// <summary>POSIX signals sent straight from the test process (spawning <c>kill</c> is slow on a loaded machine).</summary>
internal static partial class Signals
{
    public const int Interrupt = 2, Kill = 9;

    /// <summary><c>kill(pid, signal)</c>: 0 when sent.</summary>
    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "kill")]
    public static partial int Send(int pid, int signal);
}
