using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Runner;
using WildLong.Functions.Identity;
using WildLong.Functions.Scheduling;
using WildLong.Llm;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Synthesis;
using WildLong.Storage.Graphs;
using WildLong.Storage.Runs;

namespace WildLong.Functions.Triggers;

/// <summary>
/// On the schedule in <c>WildLongRegenerationSchedule</c>, makes a new dataset from the merged graphs when new query
/// shards were merged since the last one (see <see cref="RegenerationPolicy"/>). Each generation's instance id is its
/// run id (from the graph state and settings), so <c>GET /api/runs/{runId}</c> answers for it, its history and work
/// blobs never mix with an earlier one's, and two ticks on the same graph state start it once. At most one runs: a
/// query for unfinished scheduled instances replaces the former singleton instance id.
/// </summary>
public sealed partial class ScheduledRegenerationFunction(
    GraphCountStore graphs,
    RunStore runs,
    RunShape shape,
    RunFingerprintSource fingerprints,
    IOptions<ScheduleOptions> schedule,
    IOptions<ModelOptions> model,
    ILogger<ScheduledRegenerationFunction> logger)
{
    [Function("ScheduledRegeneration")]
    public async Task RunAsync(
        [TimerTrigger("%WildLongRegenerationSchedule%")] TimerInfo timer,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
        => await TickAsync(client, cancellationToken);

    /// <summary>One tick: decides, and starts the generation when the decision says so.</summary>
    internal async Task<RegenerationDecision> TickAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var options = schedule.Value;
        if (!options.Enabled)
        {
            var off = new RegenerationDecision(false, $"{ScheduleOptions.SectionName}:Enabled is false");
            LogDecision(logger, off.Start, off.Reason);
            return off;
        }

        var settings = new RunSettings(options.Pairs, options.Seed, options.MultiDocumentShare);
        var shards = await graphs.ListShardsAsync(cancellationToken);
        var fingerprint = fingerprints.For(settings);
        var candidate = RunIdentity.ForGeneration(InstanceIds.GraphState(shards), fingerprint, InstanceIds.ScheduledKind);
        var active = await ActiveScheduledRunAsync(client, cancellationToken);
        var existing = await client.GetInstanceAsync(candidate, getInputsAndOutputs: false, cancellationToken);
        var decision = RegenerationPolicy.Decide(
            shards,
            await runs.ListAsync(cancellationToken),
            active?.RuntimeStatus,
            existing?.RuntimeStatus,
            candidate);
        LogDecision(logger, decision.Start, decision.Reason);
        if (!decision.Start)
        {
            return decision;
        }

        var simulated = string.Equals(model.Value.Provider, ModelProviders.Simulator, StringComparison.OrdinalIgnoreCase);
        // A failed or terminated generation of this graph state is replaced by a new attempt (the one start-or-resume).
        var start = await OrchestrationStarter.StartOrResumeAsync(
            client,
            nameof(GenerateDatasetOrchestrator),
            new GenerationRequest(candidate, settings, shape, simulated, Fingerprint: fingerprint),
            candidate,
            cancellationToken);
        if (!start.Started)
        {
            // Another tick (another instance of the app) started it first.
            return new RegenerationDecision(false, "another tick started the scheduled regeneration first");
        }

        LogStarted(logger, candidate);
        return decision;
    }

    /// <summary>
    /// A scheduled generation that has not finished, if any: instances whose id starts with the scheduled run-id kind,
    /// of the generation orchestrator (not their fan-out groups, whose ids share the prefix).
    /// </summary>
    private static async Task<OrchestrationMetadata?> ActiveScheduledRunAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        var query = new OrchestrationQuery
        {
            InstanceIdPrefix = InstanceIds.ScheduledKind + "-",
            Statuses = [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
        };
        await foreach (var instance in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            if (string.Equals(instance.Name, nameof(GenerateDatasetOrchestrator), StringComparison.Ordinal)
                && !instance.InstanceId.Contains(FanOut.GroupIdInfix, StringComparison.Ordinal))
            {
                return instance;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled regeneration: start = {Start} ({Reason})")]
    private static partial void LogDecision(ILogger logger, bool start, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled regeneration started run {RunId}")]
    private static partial void LogStarted(ILogger logger, string runId);
}
