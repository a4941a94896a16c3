using Grpc.Core;
using Microsoft.DurableTask.Client;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;

namespace WildLong.Cli;

/// <summary>
/// A run's progress as a client should show it: the run's own custom status plus the work of its fan-out groups still
/// running, which the run counts only when a whole group ends (minutes apart on a big stage).
/// </summary>
internal sealed class LiveRunProgress(DurableTaskClient client)
{
    private bool groupsQueryable = true;

    /// <summary>The progress in <paramref name="metadata"/> with running groups added; null when the run published none yet.</summary>
    public async Task<RunProgress?> ReadAsync(OrchestrationMetadata metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.SerializedCustomStatus is null || metadata.ReadCustomStatusAs<RunProgress>() is not { } progress)
        {
            return null;
        }

        if (!groupsQueryable || metadata.RuntimeStatus != OrchestrationRuntimeStatus.Running)
        {
            return progress;
        }

        var groups = new List<FanOutProgress>();
        try
        {
            var query = new OrchestrationQuery { InstanceIdPrefix = metadata.InstanceId + FanOut.GroupIdInfix, Statuses = [OrchestrationRuntimeStatus.Running], FetchInputsAndOutputs = true };
            await foreach (var group in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
            {
                if (group.SerializedCustomStatus is not null && group.ReadCustomStatusAs<FanOutProgress>() is { } running)
                {
                    groups.Add(running);
                }
            }
        }
        catch (RpcException ex) when (ex.StatusCode is not StatusCode.Cancelled)
        {
            // Progress is a view: a failed query shows the run's own counts this time. A backend that cannot query
            // instances at all is not asked again (group progress then shows when groups end).
            groupsQueryable = ex.StatusCode is not (StatusCode.Unimplemented or StatusCode.Unknown);
            return progress;
        }

        return progress.WithRunningGroups(groups);
    }
}
