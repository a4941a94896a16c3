using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace WildLong.Bench.EngineThroughput;

/// <summary>
/// Counts the storage requests this process sends, by service (blob, queue, table), from the Azure SDK's own
/// "Azure-Core" event source: its <c>Request</c> event fires once per HTTP attempt (retries included) on every Azure
/// SDK client — the pipeline's Blob/Table clients and the clients the Durable Task Azure Storage backend builds for
/// itself, which no host code can hand a pipeline policy. Requests are attributed to a service by the endpoints
/// given to <see cref="Watch"/> (each Azurite of the benchmark binds its own ports) or else by host name
/// (<c>.blob.</c>, <c>.queue.</c>, <c>.table.</c>); anything else is "other".
/// </summary>
public sealed class StorageRequestCounter : EventListener
{
    private const int RequestEventId = 1;
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);
    private volatile Dictionary<string, string> services = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Attributes requests to these endpoints (scheme, host and port) to their service from now on.</summary>
    public void Watch(Uri blob, Uri queue, Uri table)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(table);
        services = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [Authority(blob)] = "blob",
            [Authority(queue)] = "queue",
            [Authority(table)] = "table",
        };
    }

    /// <summary>Requests so far, by service ("blob", "queue", "table", "other").</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(counts, StringComparer.Ordinal);

    /// <summary>What was sent between two snapshots.</summary>
    public static SortedDictionary<string, long> Difference(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return new SortedDictionary<string, long>(
            after.ToDictionary(kv => kv.Key, kv => kv.Value - before.GetValueOrDefault(kv.Key), StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == "Azure-Core")
        {
            EnableEvents(eventSource, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (eventData.EventId != RequestEventId || eventData.EventSource.Name != "Azure-Core")
        {
            return;
        }

        var index = eventData.PayloadNames?.IndexOf("uri") ?? -1;
        var uri = index >= 0 && eventData.Payload?[index] is string text && Uri.TryCreate(text, UriKind.Absolute, out var parsed) ? parsed : null;
        counts.AddOrUpdate(Service(uri), 1, (_, n) => n + 1);
    }

    private static string Authority(Uri uri) => uri.GetLeftPart(UriPartial.Authority);

    private string Service(Uri? uri) => uri switch
    {
        null => "other",
        _ when services.TryGetValue(Authority(uri), out var service) => service,
        _ when uri.Host.Contains(".blob.", StringComparison.OrdinalIgnoreCase) => "blob",
        _ when uri.Host.Contains(".queue.", StringComparison.OrdinalIgnoreCase) => "queue",
        _ when uri.Host.Contains(".table.", StringComparison.OrdinalIgnoreCase) => "table",
        _ => "other",
    };
}
