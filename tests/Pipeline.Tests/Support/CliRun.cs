namespace WildLong.Pipeline.Tests.Support;

/// <summary>How one child-process run of the CLI ended: exit code, every output line, and whether (and when) it was killed.</summary>
public sealed record CliRun(int ExitCode, IReadOnlyList<string> Lines, bool Killed, TimeSpan? KilledAt, TimeSpan Elapsed);
