using System.Runtime.InteropServices;

namespace WildLong.Development.Processes;

/// <summary>
/// Makes SIGTERM end a tool the way <see cref="Environment.Exit"/> does — raising <see cref="AppDomain.ProcessExit"/>,
/// where <see cref="CliProcess"/> and the Azurite launcher stop what they started. Without it .NET ends the process
/// on SIGTERM without that event (measured: exit 143, no handler run), and a benchmark stopped with <c>kill</c> left
/// its Azurite and its <c>wildlong worker</c> processes running.
/// </summary>
public static class TerminationSignal
{
    private static PosixSignalRegistration? registration;

    /// <summary>From now on SIGTERM exits with 143 (128 + 15) through <see cref="Environment.Exit"/>. Call once, first thing.</summary>
    public static void ExitCleanlyOnSigterm()
    {
        registration ??= PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            // Not on the signal's own thread: Environment.Exit waits for the ProcessExit handlers.
            _ = Task.Run(() => Environment.Exit(143));
        });
    }
}
