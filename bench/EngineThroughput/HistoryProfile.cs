using Azure.Data.Tables;

namespace WildLong.Bench.EngineThroughput;

/// <summary>
/// What the azure-storage backend's history table says a run cost the engine: orchestration instances, activities
/// scheduled, orchestration episodes, the history events replayed (every episode replays its instance's history so
/// far), how long finished work waited before an episode picked it up (queue polling and dispatch latency), and the
/// instance with the longest history (the bound that matters for replay cost).
/// </summary>
public sealed record HistoryProfile(
    int Instances,
    int Activities,
    int SubOrchestrations,
    int Episodes,
    long HistoryEvents,
    long ReplayedEvents,
    double? DispatchWaitSeconds,
    double? RootDispatchWaitSeconds,
    int LargestInstanceEvents,
    string LargestInstance)
{
    private const string EventTimestamp = "_Timestamp";

    /// <summary>Reads <c>{taskHub}History</c>; <paramref name="rootInstanceId"/> is the run's own orchestration.</summary>
    public static async Task<HistoryProfile> ReadAsync(TableServiceClient tables, string taskHub, string rootInstanceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var table = tables.GetTableClient(taskHub + "History");
        var byInstance = new Dictionary<string, List<(string Row, string Type, DateTimeOffset? At)>>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "EventType", EventTimestamp], cancellationToken: cancellationToken))
        {
            if (!byInstance.TryGetValue(entity.PartitionKey, out var events))
            {
                byInstance[entity.PartitionKey] = events = [];
            }

            events.Add((entity.RowKey, entity.GetString("EventType") ?? string.Empty, entity.GetDateTimeOffset(EventTimestamp)));
        }

        int activities = 0, subs = 0, episodes = 0;
        long total = 0, replayed = 0;
        double? wait = null, rootWait = null;
        var (largest, largestId) = (0, string.Empty);
        foreach (var (instance, events) in byInstance)
        {
            events.Sort((a, b) => string.CompareOrdinal(a.Row, b.Row));
            for (var i = 0; i < events.Count; i++)
            {
                switch (events[i].Type)
                {
                    case "TaskScheduled": activities++; break;
                    case "SubOrchestrationInstanceCreated": subs++; break;
                    case "OrchestratorStarted":
                        episodes++;
                        replayed += i;
                        if (Wait(events, i) is { } seconds)
                        {
                            wait = (wait ?? 0) + seconds;
                            if (instance.StartsWith(rootInstanceId, StringComparison.Ordinal) && !instance.Contains(':', StringComparison.Ordinal))
                            {
                                rootWait = (rootWait ?? 0) + seconds;
                            }
                        }

                        break;
                    default: break;
                }
            }

            total += events.Count;
            if (events.Count > largest || (events.Count == largest && string.CompareOrdinal(instance, largestId) < 0))
            {
                (largest, largestId) = (events.Count, instance);
            }
        }

        return new HistoryProfile(byInstance.Count, activities, subs, episodes, total, replayed, wait, rootWait, largest, largestId);
    }

    /// <summary>
    /// Time from the earliest result an episode consumed (activity or sub-orchestration completion, stamped when it
    /// finished) to the episode's start: how long finished work sat in the queues.
    /// </summary>
    private static double? Wait(List<(string Row, string Type, DateTimeOffset? At)> events, int started)
    {
        if (events[started].At is not { } start)
        {
            return null;
        }

        DateTimeOffset? earliest = null;
        for (var j = started + 1; j < events.Count && events[j].Type is not ("OrchestratorStarted" or "OrchestratorCompleted"); j++)
        {
            if (events[j].Type is "TaskCompleted" or "TaskFailed" or "SubOrchestrationInstanceCompleted" or "SubOrchestrationInstanceFailed" or "TimerFired"
                && events[j].At is { } at && (earliest is null || at < earliest))
            {
                earliest = at;
            }
        }

        return earliest is { } first && start > first ? (start - first).TotalSeconds : null;
    }
}
