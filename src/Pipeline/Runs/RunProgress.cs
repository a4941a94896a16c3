namespace WildLong.Pipeline.Runs;

/// <summary>
/// The custom status a run publishes as it goes, so any client (CLI progress bars, the HTTP status endpoint) shows
/// live progress: the current stage, per-stage done/total/rejected, tokens, cost and an estimated finish time.
/// </summary>
public sealed record RunProgress(
    string RunId,
    string Stage,
    IReadOnlyDictionary<string, StageProgress> Stages,
    long InputTokens,
    long CachedInputTokens,
    long OutputTokens,
    decimal Cost,
    DateTime StartedAt,
    DateTime UpdatedAt,
    DateTime? EstimatedFinish,
    int PairsKept = 0,
    string? Dataset = null);
