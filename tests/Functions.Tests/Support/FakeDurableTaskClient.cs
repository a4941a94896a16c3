using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Client.Entities;

namespace WildLong.Functions.Tests.Support;

/// <summary>
/// A Durable Task client that keeps instances in memory: records every schedule, answers GetInstance from what was
/// scheduled (or seeded), terminates and purges. Inputs are serialized as the real client would, with web JSON.
/// </summary>
internal sealed class FakeDurableTaskClient() : DurableTaskClient("fake")
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public List<(string Name, string InstanceId, object? Input)> Scheduled { get; } = [];

    public Dictionary<string, OrchestrationMetadata> Instances { get; } = new(StringComparer.Ordinal);

    public List<string> Terminated { get; } = [];

    public List<string> Purged { get; } = [];

    public override DurableEntityClient Entities => throw new NotSupportedException();

    public OrchestrationMetadata Seed(string name, string instanceId, OrchestrationRuntimeStatus status, object? input = null, object? customStatus = null, object? output = null, TaskFailureDetails? failure = null)
    {
        var now = DateTimeOffset.UtcNow;
        var metadata = new OrchestrationMetadata(name, instanceId)
        {
            RuntimeStatus = status,
            CreatedAt = now,
            LastUpdatedAt = now,
            SerializedInput = input is null ? null : JsonSerializer.Serialize(input, Json),
            SerializedCustomStatus = customStatus is null ? null : JsonSerializer.Serialize(customStatus, Json),
            SerializedOutput = output is null ? null : JsonSerializer.Serialize(output, Json),
            FailureDetails = failure,
        };
        Instances[instanceId] = metadata;
        return metadata;
    }

    public override Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        var id = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        if (Instances.TryGetValue(id, out var existing) && existing.IsRunning)
        {
            throw new InvalidOperationException($"An orchestration with instance id '{id}' already exists.");
        }

        Scheduled.Add((orchestratorName.Name, id, input));
        Seed(orchestratorName.Name, id, OrchestrationRuntimeStatus.Pending, input);
        return Task.FromResult(id);
    }

    public override Task<OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default)
        => Task.FromResult(Instances.GetValueOrDefault(instanceId));

    public override Task TerminateInstanceAsync(string instanceId, TerminateInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        Terminated.Add(instanceId);
        var old = Instances[instanceId];
        Instances[instanceId] = new OrchestrationMetadata(old.Name, old.InstanceId)
        {
            RuntimeStatus = OrchestrationRuntimeStatus.Terminated,
            CreatedAt = old.CreatedAt,
            LastUpdatedAt = DateTimeOffset.UtcNow,
            SerializedInput = old.SerializedInput,
        };
        return Task.CompletedTask;
    }

    public override Task<PurgeResult> PurgeInstanceAsync(string instanceId, PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        Purged.Add(instanceId);
        return Task.FromResult(new PurgeResult(Instances.Remove(instanceId) ? 1 : 0));
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = false, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override AsyncPageable<OrchestrationMetadata> GetAllInstancesAsync(OrchestrationQuery? filter = null)
        => Pageable.Create((string? _, CancellationToken _) => Task.FromResult(new Page<OrchestrationMetadata>(
            [.. Instances.Values.Where(m => (filter?.InstanceIdPrefix is not { } prefix || m.InstanceId.StartsWith(prefix, StringComparison.Ordinal))
                && (filter?.Statuses is not { } statuses || statuses.Contains(m.RuntimeStatus)))],
            null)));

    public override Task<PurgeResult> PurgeAllInstancesAsync(PurgeInstancesFilter filter, PurgeInstanceOptions? options = null, CancellationToken cancellation = default) => throw new NotSupportedException();

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
