namespace WildLong.Engine;

/// <summary>
/// How the embedded Durable Task engine runs orchestrations on this machine without an Azure Functions host:
/// which backend holds the state, the task hub it uses, and how much work one process takes at a time.
/// Storage for the <c>azure-storage</c> backend comes from <c>WildLong:Storage</c>.
/// </summary>
public sealed class EngineOptions
{
    public const string SectionName = "WildLong:Engine";

    /// <summary>The default task hub; distinct from the Functions app's hub so the two never share queues.</summary>
    public const string DefaultTaskHubName = "wildlonglocal";

    /// <summary><c>azure-storage</c> (durable, the default) or <c>memory</c> (fast, not durable); see <see cref="EngineBackends"/>.</summary>
    public string Backend { get; set; } = EngineBackends.AzureStorage;

    /// <summary>Task hub name (3–45 letters and digits, starting with a letter): prefixes every queue, table and container.</summary>
    public string TaskHubName { get; set; } = DefaultTaskHubName;

    /// <summary>Control-queue partitions (1–16) of a new task hub; fixed once the hub exists. Bounds how many processes share orchestrations.</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>Activities this process runs at once (the worker's limit and the sidecar's fetch limit).</summary>
    public int MaxConcurrentActivities { get; set; } = 32;

    /// <summary>Orchestration episodes this process runs at once.</summary>
    public int MaxConcurrentOrchestrations { get; set; } = 16;

    /// <summary>
    /// How long a fetched activity stays invisible to other workers (azure-storage). The sidecar never renews this
    /// lock, so every activity must finish well inside it; a slower one is delivered again, to this or another process.
    /// </summary>
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long orchestration messages a worker dequeued stay invisible to other workers (azure-storage). After a worker
    /// dies without stopping (killed, crashed), its orchestrations wait for this — once its partition leases have
    /// expired — before another worker (or the next run) sees those messages again and continues them.
    /// </summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest pause between polls of empty queues (azure-storage): the latency of an idle engine against its storage transactions.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Worker identity in partition leases; null generates machine + process id + a GUID, unique per process.</summary>
    public string? WorkerId { get; set; }

    /// <summary>Queue service URI for managed identity (azure-storage without a connection string); null derives it from the blob URI.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>How long stopping waits for in-flight sidecar calls and checkpoints before abandoning the rest to other workers.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
