namespace WildLong.Pipeline.Tests.Support;

/// <summary>
/// How one child-process run of the CLI ended: exit code, every output line (with when it came, from the start),
/// and whether (and when) it was killed or signalled.
/// </summary>
public sealed record CliRun(int ExitCode, IReadOnlyList<string> Lines, bool Killed, TimeSpan? KilledAt, TimeSpan Elapsed)
{
    /// <summary>When each of <see cref="Lines"/> came, in the same order.</summary>
    public IReadOnlyList<TimeSpan> Times { get; init; } = [];
}
