using DurableTask.Core;
using DurableTask.Core.Query;
using Microsoft.Extensions.Logging;

namespace WildLong.Engine.Backends;

/// <summary>
/// Sits between the gRPC sidecar and the real backend to fix what the sidecar gets wrong for a long-running local
/// engine: it throttles fetches with slots of its own (the sidecar sleeps 500 ms whenever its limit is reached, and
/// the in-memory service's limit is the CPU count), repairs events a serializing backend cannot store (see
/// <see cref="SidecarEventFixups"/>), and on stop hands the work items the stopped worker will never answer back to
/// the backend, so another process (or the next run) picks them up at once instead of after the lock expires. With a
/// backend whose locks expire (azure-storage) it renews the lock of every activity it runs, every
/// <c>lockRenewalInterval</c> (the sidecar never does): locks can then be short, so work a killed process held comes
/// back to the next one within about that short visibility timeout, while a long activity is still never run twice.
/// </summary>
internal sealed partial class EngineOrchestrationService :
    IOrchestrationService,
    IOrchestrationServiceClient,
    IOrchestrationServiceQueryClient,
    IOrchestrationServicePurgeClient,
    IDisposable
{
    private readonly IOrchestrationService service;
    private readonly IOrchestrationServiceClient client;
    private readonly WorkItemLedger<TaskActivityWorkItem> activities;
    private readonly WorkItemLedger<TaskOrchestrationWorkItem> orchestrations;
    private readonly ILogger logger;
    private readonly TimeSpan? lockRenewalInterval;
    private readonly CancellationTokenSource renewalStop = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> historyEvents = new(StringComparer.Ordinal);
    private Task renewal = Task.CompletedTask;
    private int started;
    private int stopped;
    private int lockRenewals;
    private int disposed;

    public EngineOrchestrationService(
        IOrchestrationService service,
        IOrchestrationServiceClient client,
        int maxConcurrentActivities,
        int maxConcurrentOrchestrations,
        ILogger logger,
        TimeSpan? lockRenewalInterval = null)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentActivities, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrentOrchestrations, 1);
        this.service = service;
        this.client = client;
        this.logger = logger;
        if (lockRenewalInterval is { } interval && interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lockRenewalInterval), interval, "The lock renewal interval must be positive.");
        }

        this.lockRenewalInterval = lockRenewalInterval;
        activities = new WorkItemLedger<TaskActivityWorkItem>(maxConcurrentActivities);
        orchestrations = new WorkItemLedger<TaskOrchestrationWorkItem>(maxConcurrentOrchestrations);
    }

    /// <summary>The backend behind this decorator.</summary>
    public IOrchestrationService Inner => service;

    /// <summary>
    /// History events per orchestration instance as of its last committed episode (what its next episode replays):
    /// how a benchmark or test measures history sizes on any backend, the in-memory one included, which cannot return
    /// histories. One small entry per instance this process ran.
    /// </summary>
    public IReadOnlyDictionary<string, int> HistoryEvents => historyEvents;

    /// <summary>Activity work items currently locked by this process.</summary>
    public int ActiveActivities => activities.Count;

    /// <summary>Orchestration work items currently locked by this process.</summary>
    public int ActiveOrchestrations => orchestrations.Count;

    // The sidecar's dispatcher sleeps 500 ms whenever its count reaches this limit. The real limit is the ledger's
    // slots, which make the fetch itself wait; the count can pass the slot limit only briefly (between a slot's
    // release and the dispatcher's decrement), so twice the slots is never reached.
    public int MaxConcurrentTaskActivityWorkItems => 2 * activities.Capacity;

    public int MaxConcurrentTaskOrchestrationWorkItems => 2 * orchestrations.Capacity;

    public int TaskOrchestrationDispatcherCount => service.TaskOrchestrationDispatcherCount;

    public int TaskActivityDispatcherCount => service.TaskActivityDispatcherCount;

    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => service.EventBehaviourForContinueAsNew;

    /// <summary>Activity lock renewals made so far (azure-storage): for tests and the engine's log.</summary>
    public int LockRenewals => Volatile.Read(ref lockRenewals);

    public async Task StartAsync()
    {
        await service.StartAsync();
        if (Interlocked.Exchange(ref started, 1) == 0 && lockRenewalInterval is { } interval)
        {
            renewal = Task.Run(() => RenewLocksAsync(interval, renewalStop.Token));
        }
    }

    /// <summary>Every <paramref name="interval"/>, renews the lock of each activity this process holds and is not finishing.</summary>
    private async Task RenewLocksAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var renewed = await activities.RenewAsync(
                    async item => await service.RenewTaskActivityWorkItemLockAsync(item),
                    (item, ex) => LogRenewFailed(ex, item.Id));
                Interlocked.Add(ref lockRenewals, renewed);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: held items are handed back next.
        }
    }

    // The sidecar calls these from a fire-and-forget shutdown path; the engine stops the backend itself through
    // ShutdownAsync, once, after handing back what the worker will not finish.
    public Task StopAsync() => Task.CompletedTask;

    public Task StopAsync(bool isForced) => Task.CompletedTask;

    /// <summary>
    /// Hands back every locked item nobody is finishing, waits up to <paramref name="busyTimeout"/> for
    /// completions in progress, then stops the backend (releasing its partition leases). Call after the worker
    /// and the sidecar's server have stopped; runs once.
    /// </summary>
    public async Task ShutdownAsync(TimeSpan busyTimeout, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        if (Volatile.Read(ref disposed) == 0)
        {
            await renewalStop.CancelAsync();
        }

        await renewal;

        var orchestrationCount = await orchestrations.StopAsync(
            async item =>
            {
                await service.AbandonTaskOrchestrationWorkItemAsync(item);
                await service.ReleaseTaskOrchestrationWorkItemAsync(item);
            },
            (item, ex) => LogHandBackFailed(ex, "orchestration", item.InstanceId),
            busyTimeout,
            cancellationToken);
        var activityCount = await activities.StopAsync(
            service.AbandonTaskActivityWorkItemAsync,
            (item, ex) => LogHandBackFailed(ex, "activity", item.Id),
            busyTimeout,
            cancellationToken);
        if (orchestrationCount + activityCount > 0)
        {
            LogHandedBack(orchestrationCount, activityCount);
        }

        if (Volatile.Read(ref started) == 1)
        {
            await service.StopAsync(isForced: true);
        }
    }

    public Task CreateAsync() => service.CreateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => service.CreateAsync(recreateInstanceStore);

    public Task CreateIfNotExistsAsync() => service.CreateIfNotExistsAsync();

    public Task DeleteAsync() => service.DeleteAsync();

    public Task DeleteAsync(bool deleteInstanceStore) => service.DeleteAsync(deleteInstanceStore);

    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState)
        => service.IsMaxMessageCountExceeded(currentMessageCount, runtimeState);

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => service.GetDelayInSecondsAfterOnProcessException(exception);

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => service.GetDelayInSecondsAfterOnFetchException(exception);

    public Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout, CancellationToken cancellationToken)
        => orchestrations.LockAsync(() => service.LockNextTaskOrchestrationWorkItemAsync(receiveTimeout, cancellationToken), cancellationToken)!;

    public Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem) => service.RenewTaskOrchestrationWorkItemLockAsync(workItem);

    public Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        if (!orchestrations.TryBegin(workItem))
        {
            throw new OperationCanceledException($"The engine is stopping; orchestration {workItem.InstanceId} was handed back and runs again from its last checkpoint.");
        }

        historyEvents[workItem.InstanceId] = newOrchestrationRuntimeState.Events.Count;
        SidecarEventFixups.Apply(newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
        return service.CompleteTaskOrchestrationWorkItemAsync(
            workItem, newOrchestrationRuntimeState, outboundMessages, orchestratorMessages, timerMessages, continuedAsNewMessage, orchestrationState);
    }

    public Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
        => orchestrations.TryBegin(workItem) ? service.AbandonTaskOrchestrationWorkItemAsync(workItem) : Task.CompletedTask;

    public async Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        if (orchestrations.IsStopped(workItem))
        {
            return;
        }

        try
        {
            await service.ReleaseTaskOrchestrationWorkItemAsync(workItem);
        }
        finally
        {
            orchestrations.Finish(workItem);
        }
    }

    public Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
        => activities.LockAsync(() => service.LockNextTaskActivityWorkItem(receiveTimeout, cancellationToken), cancellationToken)!;

    public Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem) => service.RenewTaskActivityWorkItemLockAsync(workItem);

    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        if (!activities.TryBegin(workItem))
        {
            throw new OperationCanceledException($"The engine is stopping; activity work item {workItem.Id} was handed back and runs again.");
        }

        try
        {
            await service.CompleteTaskActivityWorkItemAsync(workItem, responseMessage);
        }
        catch
        {
            activities.Revert(workItem);
            throw;
        }

        activities.Finish(workItem);
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        if (!activities.TryBegin(workItem))
        {
            return;
        }

        try
        {
            await service.AbandonTaskActivityWorkItemAsync(workItem);
        }
        finally
        {
            activities.Finish(workItem);
        }
    }

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage)
    {
        SidecarEventFixups.Apply(creationMessage);
        return client.CreateTaskOrchestrationAsync(creationMessage);
    }

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[] dedupeStatuses)
    {
        SidecarEventFixups.Apply(creationMessage);
        return client.CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses);
    }

    public Task SendTaskOrchestrationMessageAsync(TaskMessage message)
    {
        SidecarEventFixups.Apply(message);
        return client.SendTaskOrchestrationMessageAsync(message);
    }

    public Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages)
    {
        SidecarEventFixups.Apply(messages);
        return client.SendTaskOrchestrationMessageBatchAsync(messages);
    }

    public Task<OrchestrationState> WaitForOrchestrationAsync(string instanceId, string executionId, TimeSpan timeout, CancellationToken cancellationToken)
        => client.WaitForOrchestrationAsync(instanceId, executionId, timeout, cancellationToken);

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) => client.ForceTerminateTaskOrchestrationAsync(instanceId, reason);

    public Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions)
        => client.GetOrchestrationStateAsync(instanceId, allExecutions);

    public Task<OrchestrationState> GetOrchestrationStateAsync(string instanceId, string executionId)
        => client.GetOrchestrationStateAsync(instanceId, executionId);

    public Task<string> GetOrchestrationHistoryAsync(string instanceId, string executionId) => client.GetOrchestrationHistoryAsync(instanceId, executionId);

    public Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType)
        => client.PurgeOrchestrationHistoryAsync(thresholdDateTimeUtc, timeRangeFilterType);

    public Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
        => client is IOrchestrationServiceQueryClient query1
            ? query1.GetOrchestrationWithQueryAsync(query, cancellationToken)
            : throw new NotSupportedException($"The {client.GetType().Name} backend cannot query orchestrations.");

    public Task<PurgeResult> PurgeInstanceStateAsync(string instanceId)
        => client is IOrchestrationServicePurgeClient purge
            ? purge.PurgeInstanceStateAsync(instanceId)
            : throw new NotSupportedException($"The {client.GetType().Name} backend cannot purge orchestrations.");

    public Task<PurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter)
        => client is IOrchestrationServicePurgeClient purge
            ? purge.PurgeInstanceStateAsync(purgeInstanceFilter)
            : throw new NotSupportedException($"The {client.GetType().Name} backend cannot purge orchestrations.");

    public void Dispose()
    {
        // The sidecar and the host may both dispose this service: only the first call does anything.
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        renewalStop.Cancel();
        renewalStop.Dispose();
        activities.Dispose();
        orchestrations.Dispose();
        (service as IDisposable)?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Engine stopping: handed {Orchestrations} orchestration and {Activities} activity work items back to the backend")]
    private partial void LogHandedBack(int orchestrations, int activities);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the lock of activity work item {Id}; if this goes on past WorkItemVisibilityTimeout it may run again elsewhere")]
    private partial void LogRenewFailed(Exception exception, string id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine stopping: could not hand {Kind} work item {Id} back; the backend redelivers it when its lock expires")]
    private partial void LogHandBackFailed(Exception exception, string kind, string id);
}
