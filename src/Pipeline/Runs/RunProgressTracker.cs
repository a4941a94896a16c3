using Microsoft.DurableTask;
using WildLong.Core;
using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Runs;

/// <summary>
/// Keeps a run's progress inside its orchestrator and publishes it as custom status after every change. Uses only the
/// orchestration clock, so replays compute the same status.
/// </summary>
public sealed class RunProgressTracker
{
    private readonly TaskOrchestrationContext context;
    private readonly SortedDictionary<string, StageProgress> stages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> stageStarted = new(StringComparer.Ordinal);
    private RunProgress progress;

    public RunProgressTracker(TaskOrchestrationContext context, string runId)
    {
        this.context = context ?? throw new ArgumentNullException(nameof(context));
        var now = context.CurrentUtcDateTime;
        progress = new RunProgress(runId, StageNames.Listing, stages, 0, 0, 0, 0m, now, now, null);
    }

    public RunProgress Current => progress;

    /// <summary>Starts (or re-sizes) a stage and makes it the current one.</summary>
    public void Begin(string stage, int total)
    {
        var existing = stages.GetValueOrDefault(stage);
        stages[stage] = new StageProgress(existing?.Done ?? 0, (existing?.Total ?? 0) + total, existing?.Rejected ?? 0);
        stageStarted.TryAdd(stage, context.CurrentUtcDateTime);
        progress = progress with { Stage = stage };
        Publish();
    }

    /// <summary>
    /// Grows a stage's total without making it the current stage (a child learned its input's size while other
    /// stages run concurrently).
    /// </summary>
    public void AddTotal(string stage, int total)
    {
        var existing = stages.GetValueOrDefault(stage) ?? new StageProgress(0, 0, 0);
        stages[stage] = existing with { Total = existing.Total + total };
        stageStarted.TryAdd(stage, context.CurrentUtcDateTime);
        Publish();
    }

    /// <summary>Adds a finished piece of work to a stage and the run's token and cost totals.</summary>
    public void Advance(string stage, WorkSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var existing = stages.GetValueOrDefault(stage) ?? new StageProgress(0, 0, 0);
        stages[stage] = existing with { Done = existing.Done + summary.Items, Rejected = existing.Rejected + summary.Rejected };
        var usage = summary.TotalUsage;
        progress = progress with
        {
            InputTokens = progress.InputTokens + usage.InputTokens,
            CachedInputTokens = progress.CachedInputTokens + usage.CachedInputTokens,
            OutputTokens = progress.OutputTokens + usage.OutputTokens,
            Cost = progress.Cost + summary.Cost,
        };
        Publish();
    }

    public void Complete(int pairsKept, string dataset)
    {
        if (stages.TryGetValue(progress.Stage, out var current))
        {
            stages[progress.Stage] = current with { Done = current.Total };
        }

        progress = progress with { Stage = StageNames.Completed, PairsKept = pairsKept, Dataset = dataset, EstimatedFinish = context.CurrentUtcDateTime };
        Publish();
    }

    public void SetKept(int pairsKept)
    {
        progress = progress with { PairsKept = pairsKept };
        Publish();
    }

    private void Publish()
    {
        var now = context.CurrentUtcDateTime;
        DateTime? eta = null;
        if (stages.TryGetValue(progress.Stage, out var current) && current.Done > 0 && current.Total > current.Done
            && stageStarted.TryGetValue(progress.Stage, out var started))
        {
            var perItem = (now - started).Ticks / (double)current.Done;
            eta = now + TimeSpan.FromTicks((long)(perItem * (current.Total - current.Done)));
        }

        progress = progress with { Stages = new SortedDictionary<string, StageProgress>(stages, StringComparer.Ordinal), UpdatedAt = now, EstimatedFinish = eta ?? progress.EstimatedFinish };
        context.SetCustomStatus(progress);
    }
}
