using Azure.Data.Tables;

namespace WildLong.Bench.EngineThroughput;

/// <summary>
/// What the azure-storage backend's history table says a run cost the engine: orchestration instances, activities
/// scheduled, orchestration episodes, and the history events replayed (every episode replays its instance's history
/// so far), which is where a durable run spends its orchestration time.
/// </summary>
public sealed record HistoryProfile(int Instances, int Activities, int SubOrchestrations, int Episodes, long HistoryEvents, long ReplayedEvents)
{
    /// <summary>Reads <c>{taskHub}History</c> (properties PartitionKey, RowKey, EventType only).</summary>
    public static async Task<HistoryProfile> ReadAsync(TableServiceClient tables, string taskHub, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var table = tables.GetTableClient(taskHub + "History");
        var byInstance = new Dictionary<string, List<(string Row, string Type)>>(StringComparer.Ordinal);
        await foreach (var entity in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "EventType"], cancellationToken: cancellationToken))
        {
            if (!byInstance.TryGetValue(entity.PartitionKey, out var events))
            {
                byInstance[entity.PartitionKey] = events = [];
            }

            events.Add((entity.RowKey, entity.GetString("EventType") ?? string.Empty));
        }

        int activities = 0, subs = 0, episodes = 0;
        long total = 0, replayed = 0;
        foreach (var events in byInstance.Values)
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
                        break;
                    default: break;
                }
            }

            total += events.Count;
        }

        return new HistoryProfile(byInstance.Count, activities, subs, episodes, total, replayed);
    }
}
