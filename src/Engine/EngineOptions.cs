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
    /// How long a fetched activity stays invisible to other workers (azure-storage). The engine renews this lock every
    /// <see cref="LockRenewalInterval"/> while the activity runs, so a long activity is not delivered twice; when the
    /// process dies without stopping (<c>kill -9</c>, a crash) the renewals stop and its activities reappear for
    /// other workers (or the next run) at most this long after its last renewal. Short, so work comes back quickly.
    /// </summary>
    public TimeSpan WorkItemVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long orchestration messages a worker dequeued stay invisible to other workers (azure-storage); renewed
    /// while an orchestration episode runs. After a worker dies without stopping, its orchestrations continue on
    /// another worker (or the next run) once this has passed and its partition leases (<see cref="PartitionLeaseInterval"/>) expired.
    /// </summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the engine renews the locks of the activities it runs (azure-storage); well under <see cref="WorkItemVisibilityTimeout"/>.</summary>
    public TimeSpan LockRenewalInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a worker's control-queue partition lease lasts without renewal (azure-storage; renewed and sought
    /// every third of it). A dead worker's partitions pass to a live one after this.
    /// </summary>
    public TimeSpan PartitionLeaseInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest pause between polls of empty queues (azure-storage): the latency of an idle engine against its storage transactions.</summary>
    public TimeSpan MaxQueuePollingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Worker identity in partition leases; null generates machine + process id + a GUID, unique per process.</summary>
    public string? WorkerId { get; set; }

    /// <summary>Queue service URI for managed identity (azure-storage without a connection string); null derives it from the blob URI.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>
    /// How often the sidecar sends a health ping down the worker's work-item stream (0.1 s to 1 min). The worker takes a
    /// stream that carried nothing for 2 minutes for a dead link and reconnects; pings keep a healthy stream from ever
    /// looking dead while every activity slot holds a long activity.
    /// </summary>
    public TimeSpan WorkItemStreamPingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long stopping waits for in-flight sidecar calls and checkpoints before abandoning the rest to other workers.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
