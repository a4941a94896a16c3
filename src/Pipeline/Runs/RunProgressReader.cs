using Microsoft.DurableTask.Client;
using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Runs;

/// <summary>
/// A run's progress as a client should show it (CLI, HTTP status): the run's own custom status plus the work of its
/// per-input children and fan-out groups still running, which the run counts only when a whole child or group ends
/// (minutes apart on a big stage). All of them share the run's id prefix (<see cref="FanOut.GroupIdInfix"/>).
/// </summary>
public sealed class RunProgressReader(DurableTaskClient client)
{
    private bool groupsQueryable = true;

    /// <summary>
    /// <paramref name="progress"/> (the custom status of run instance <paramref name="instanceId"/>) with its running
    /// children and groups added. Progress is a view: when the query fails, the run's own counts are returned.
    /// </summary>
    public async Task<RunProgress> AddRunningGroupsAsync(string instanceId, RunProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (!groupsQueryable)
        {
            return progress;
        }

        var groups = new List<FanOutProgress>();
        var inputs = new List<InputProgress>();
        try
        {
            var query = new OrchestrationQuery { InstanceIdPrefix = instanceId + FanOut.GroupIdInfix, Statuses = [OrchestrationRuntimeStatus.Running], FetchInputsAndOutputs = true };
            await foreach (var group in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
            {
                if (group.SerializedCustomStatus is null)
                {
                    continue;
                }

                if (FanOut.IsInputChild(group.InstanceId))
                {
                    if (group.ReadCustomStatusAs<InputProgress>() is { } input)
                    {
                        inputs.Add(input);
                    }
                }
                else if (group.ReadCustomStatusAs<FanOutProgress>() is { } running)
                {
                    groups.Add(running);
                }
            }
        }
        catch (NotSupportedException)
        {
            // A client that cannot query instances: group progress shows when groups end.
            groupsQueryable = false;
            return progress;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return progress;
        }

        return progress.WithRunning(inputs, groups);
    }

    /// <summary>The live progress of a run's metadata (fetched with inputs and outputs); null when it published none yet.</summary>
    public async Task<RunProgress?> ReadAsync(OrchestrationMetadata metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.SerializedCustomStatus is null || metadata.ReadCustomStatusAs<RunProgress>() is not { } progress)
        {
            return null;
        }

        return metadata.RuntimeStatus == OrchestrationRuntimeStatus.Running
            ? await AddRunningGroupsAsync(metadata.InstanceId, progress, cancellationToken)
            : progress;
    }
}
