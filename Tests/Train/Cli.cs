using StaticGraph.Train;

namespace StaticGraph.Tests.Train;

/// <summary>Runs the command line in-process and captures what it prints.</summary>
internal static class Cli
{
    private static readonly Lock ConsoleLock = new();

    /// <summary>The exit code, standard output and standard error of `sgtrain <paramref name="args"/>`.</summary>
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        // Console redirection is process-wide: one command at a time.
        lock (ConsoleLock)
        {
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            var (oldOut, oldErr) = (Console.Out, Console.Error);
            Console.SetOut(stdout);
            Console.SetError(stderr);
            try
            {
                return (EntryPoint.Main(args), stdout.ToString(), stderr.ToString());
            }
            finally
            {
                Console.SetOut(oldOut);
                Console.SetError(oldErr);
            }
        }
    }
}
