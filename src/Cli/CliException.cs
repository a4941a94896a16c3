namespace WildLong.Cli;

/// <summary>A failure the user can fix, reported as one line and a specific exit code instead of a stack trace.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
