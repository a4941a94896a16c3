using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Pipeline;
using WildLong.Functions.Durable;
using WildLong.Functions.Identity;
using WildLong.Functions.Scheduling;
using WildLong.Llm;
using WildLong.Pipeline.Generation;
using WildLong.Pipeline.Graphs;
using WildLong.Pipeline.Runs;

namespace WildLong.Functions.Triggers;

/// <summary>
/// On the schedule in <c>WildLongRegenerationSchedule</c>, makes a new dataset from the merged graphs when new query
/// shards were merged since the last one (see <see cref="RegenerationPolicy"/>). One singleton instance id, so at
/// most one scheduled generation runs; each generation gets its own run id (from the graph state), so its work blobs
/// never mix with an earlier one's.
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
    private static readonly JsonSerializerOptions Lenient = new(JsonSerializerDefaults.Web);

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
        var candidate = RunIdentity.ForGeneration(InstanceIds.GraphState(shards), fingerprint, "scheduled");
        var singleton = await client.GetInstanceAsync(InstanceIds.ScheduledRegeneration, getInputsAndOutputs: true, cancellationToken);
        var decision = RegenerationPolicy.Decide(
            shards,
            await runs.ListAsync(cancellationToken),
            singleton?.RuntimeStatus,
            RunIdOf(singleton?.SerializedInput),
            candidate);
        LogDecision(logger, decision.Start, decision.Reason);
        if (!decision.Start)
        {
            return decision;
        }

        var simulated = string.Equals(model.Value.Provider, ModelProviders.Simulator, StringComparison.OrdinalIgnoreCase);
        try
        {
            // Not StartOnce: the singleton id is reused on purpose, replacing the previous (finished) instance.
            await client.ScheduleNewOrchestrationInstanceAsync(
                new TaskName(nameof(GenerateDatasetOrchestrator)),
                new GenerationRequest(candidate, settings, shape, simulated, Fingerprint: fingerprint),
                new StartOrchestrationOptions(InstanceIds.ScheduledRegeneration),
                cancellationToken);
        }
        catch (Exception ex) when (OrchestrationStarter.IsAlreadyExists(ex))
        {
            // Another tick (another instance of the app) started it first.
            return new RegenerationDecision(false, "another tick started the scheduled regeneration first");
        }

        LogStarted(logger, candidate);
        return decision;
    }

    private static string? RunIdOf(string? serializedInput)
    {
        if (string.IsNullOrWhiteSpace(serializedInput))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<GenerationRequest>(serializedInput, Lenient)?.RunId;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled regeneration: start = {Start} ({Reason})")]
    private static partial void LogDecision(ILogger logger, bool start, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Scheduled regeneration started run {RunId}")]
    private static partial void LogStarted(ILogger logger, string runId);
}
