namespace WildLong.Pipeline.Runs;

/// <summary>One stage's share of <see cref="RunProgress"/>.</summary>
public sealed record StageProgress(int Done, int Total, int Rejected);
