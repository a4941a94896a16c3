namespace WildLong.Core.Runner;

/// <summary>A progress report from a running stage (done of total), for progress bars and status endpoints.</summary>
public sealed record MethodProgress(string Stage, int Done, int Total);
