using WildLong.Core;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Indexing;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Synthesis;

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
    public RunProgress WithRunningGroups(IEnumerable<FanOutProgress> groups) => WithRunning([], groups);

    /// <summary>
    /// This progress plus what the run's running per-input children (<paramref name="inputs"/>: the items each planned
    /// joins its stage's total, the work of its ended pieces its done counts) and running fan-out groups (at any depth)
    /// have done: the run counts a child or a group only when it ends.
    /// </summary>
    public RunProgress WithRunning(IEnumerable<InputProgress> inputs, IEnumerable<FanOutProgress> groups)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(groups);
        var stages = new SortedDictionary<string, StageProgress>(Stages.ToDictionary(), StringComparer.Ordinal);
        var inputList = inputs.ToList();
        foreach (var input in inputList)
        {
            if (StageOf(input.Activity) is { } stage && stages.TryGetValue(stage, out var current))
            {
                stages[stage] = current with { Total = current.Total + input.Planned };
            }
        }

        var progress = this;
        foreach (var (activity, done) in inputList.Select(i => (i.Activity, i.Done)).Concat(groups.Select(g => (g.Activity, g.Done))))
        {
            if (StageOf(activity) is not { } stage || !stages.TryGetValue(stage, out var current))
            {
                continue;
            }

            stages[stage] = current with { Done = Math.Min(current.Total, current.Done + done.Items), Rejected = current.Rejected + done.Rejected };
            var usage = done.TotalUsage;
            progress = progress with
            {
                InputTokens = progress.InputTokens + usage.InputTokens,
                CachedInputTokens = progress.CachedInputTokens + usage.CachedInputTokens,
                OutputTokens = progress.OutputTokens + usage.OutputTokens,
                Cost = progress.Cost + done.Cost,
            };
        }

        return progress with { Stages = stages };
    }

    /// <summary>The stage a fanned-out activity's work counts under, or null for an activity no stage fans out.</summary>
    private static string? StageOf(string activity) => activity switch
    {
        nameof(ExtractQueriesActivity) => StageNames.MetaInfoExtraction,
        nameof(IndexDocumentsActivity) => StageNames.IndexDocuments,
        nameof(WriteInstructionsActivity) => StageNames.InstructionWriting,
        nameof(GeneratePairsActivity) => StageNames.PairGeneration,
        _ => null,
    };
}
