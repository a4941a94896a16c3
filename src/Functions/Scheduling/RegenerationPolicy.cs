using Microsoft.DurableTask.Client;
using WildLong.Storage.Graphs;
using WildLong.Storage.Runs;

namespace WildLong.Functions.Scheduling;

/// <summary>
/// Decides whether scheduled regeneration should make a new dataset: only when some graph shard was merged after the
/// last completed dataset, no scheduled generation is still running, and this exact graph state has not already been
/// generated. Pure, so the rules are tested without a timer.
/// </summary>
public static class RegenerationPolicy
{
    public const string CompletedStatus = "Completed";

    /// <param name="shards">The graph ledger (<see cref="GraphCountStore.ListShardsAsync"/>).</param>
    /// <param name="runs">Recorded runs (<see cref="RunStore.ListAsync"/>); the newest completed one is the last dataset.</param>
    /// <param name="activeStatus">Status of a scheduled generation that has not finished (pending, running or
    /// suspended), found by querying the scheduled instances; null when there is none.</param>
    /// <param name="candidateStatus">Status of the instance whose id is <paramref name="candidateRunId"/>, null when none.</param>
    /// <param name="candidateRunId">Run id (and instance id) this tick would use (derived from the graph state and settings).</param>
    public static RegenerationDecision Decide(
        IReadOnlyList<GraphShardInfo> shards,
        IReadOnlyList<RunRecord> runs,
        OrchestrationRuntimeStatus? activeStatus,
        OrchestrationRuntimeStatus? candidateStatus,
        string candidateRunId)
    {
        ArgumentNullException.ThrowIfNull(shards);
        ArgumentNullException.ThrowIfNull(runs);
        if (shards.Count == 0)
        {
            return new(false, "no graph shard has been merged yet");
        }

        if (activeStatus is OrchestrationRuntimeStatus.Pending or OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended)
        {
            return new(false, $"the previous scheduled regeneration is still {activeStatus}");
        }

        var lastShard = shards.Max(s => s.CompletedAt);
        var lastDataset = runs
            .Where(r => string.Equals(r.Status, CompletedStatus, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(r => r.UpdatedAt)
            .FirstOrDefault();
        if (lastDataset is not null && lastShard <= lastDataset.UpdatedAt)
        {
            return new(false, $"no graph shard changed since dataset '{lastDataset.RunId}' ({lastDataset.UpdatedAt:O}; last shard merge {lastShard:O})");
        }

        if (candidateStatus == OrchestrationRuntimeStatus.Completed)
        {
            return new(false, $"graph state already generated as '{candidateRunId}'");
        }

        return new(true, lastDataset is null
            ? "graphs exist and no dataset has been made yet"
            : $"graph shards merged at {lastShard:O}, after dataset '{lastDataset.RunId}' ({lastDataset.UpdatedAt:O})");
    }
}
