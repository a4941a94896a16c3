using WildLong.Pipeline.Orchestration;

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
    string? Dataset = null)
{
    /// <summary>
    /// This progress plus the work of fan-out groups still running (their parent counts a group only when it ends):
    /// done and rejected items per stage, tokens and cost. Groups of activities no stage fans out are ignored.
    /// </summary>
    public RunProgress WithRunningGroups(IEnumerable<FanOutProgress> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var stages = new SortedDictionary<string, StageProgress>(Stages.ToDictionary(), StringComparer.Ordinal);
        var progress = this;
        foreach (var group in groups)
        {
            if (RunStageNames.ForActivity(group.Activity) is not { } stage || !stages.TryGetValue(stage, out var current))
            {
                continue;
            }

            stages[stage] = current with { Done = Math.Min(current.Total, current.Done + group.Done.Items), Rejected = current.Rejected + group.Done.Rejected };
            var usage = group.Done.TotalUsage;
            progress = progress with
            {
                InputTokens = progress.InputTokens + usage.InputTokens,
                CachedInputTokens = progress.CachedInputTokens + usage.CachedInputTokens,
                OutputTokens = progress.OutputTokens + usage.OutputTokens,
                Cost = progress.Cost + group.Done.Cost,
            };
        }

        return progress with { Stages = stages };
    }
}
