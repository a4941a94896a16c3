using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// The one start-or-resume of the CLI and the Functions app: starts an orchestration under a deterministic instance id
/// (a run id, or a blob's instance id) at most once. An instance that is pending, running, suspended or completed is
/// left alone — it is the run, resumed by the engine or already done; a failed or terminated one is purged and started
/// again under the same id (its finished work is kept in blobs and tables and found, not redone). A concurrent start
/// that wins the race ("already exists") counts as existing.
/// </summary>
/// <remarks>
/// Purging before the new start was the CLI's way and is kept for both hosts: a backend that refuses to schedule an id
/// it still holds (the embedded engine's) accepts it, and no history of the failed attempt mixes with the new one's.
/// Purging is safe against a concurrent start: the engine purges only instances in a terminal state, so a start that
/// won the race in between is not removed, and this start then finds it.
/// </remarks>
public static class OrchestrationStarter
{
    public static async Task<OrchestrationStart> StartOrResumeAsync(
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
            if (existing is not null)
            {
                await client.PurgeInstanceAsync(instanceId, cancellation: cancellationToken);
            }

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
