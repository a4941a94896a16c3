using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace WildLong.Functions.Durable;

/// <summary>
/// Starts an orchestration under a deterministic instance id at most once: an instance that is pending, running,
/// suspended or completed is left alone; a failed or terminated one is started again under the same id (its finished
/// work is found, not redone). A concurrent start that wins the race ("already exists") counts as existing.
/// </summary>
public static class OrchestrationStarter
{
    public static async Task<OrchestrationStart> StartOnceAsync(
        DurableTaskClient client,
        string orchestrator,
        object input,
        string instanceId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(orchestrator);
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        var existing = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        if (existing is not null && !CanStartAgain(existing.RuntimeStatus))
        {
            return new OrchestrationStart(instanceId, false, existing.RuntimeStatus);
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(new TaskName(orchestrator), input, new StartOrchestrationOptions(instanceId), cancellationToken);
            return new OrchestrationStart(instanceId, true, existing?.RuntimeStatus);
        }
        catch (Exception ex) when (IsAlreadyExists(ex))
        {
            var now = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
            return new OrchestrationStart(instanceId, false, now?.RuntimeStatus ?? OrchestrationRuntimeStatus.Pending);
        }
    }

    /// <summary>Failed and terminated instances may be started again under the same id; all others are the run itself.</summary>
    public static bool CanStartAgain(OrchestrationRuntimeStatus status)
        => status is OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    /// <summary>
    /// True for the error a backend raises when another start of the same id got there first (the gRPC client surfaces
    /// it as an RpcException with status AlreadyExists, other clients as an InvalidOperationException).
    /// </summary>
    internal static bool IsAlreadyExists(Exception ex)
        => ex is not OperationCanceledException
           && (ex.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase)
               || ex.Message.Contains("AlreadyExists", StringComparison.Ordinal));
}
