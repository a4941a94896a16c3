using Microsoft.DurableTask;
using WildLong.Pipeline.Batches;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Indexing;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Synthesis;

namespace WildLong.Pipeline;

/// <summary>
/// Every orchestrator and activity of the pipeline, registered by type under its class name. The one list each host
/// registers from (the local engine) or wraps (Azure Functions, where a test checks every entry has its wrapper).
/// </summary>
public static class PipelineTasks
{
    public static IReadOnlyList<Type> Orchestrators { get; } =
    [
        typeof(RunOrchestrator),
        typeof(GenerateDatasetOrchestrator),
        typeof(ExtractShardOrchestrator),
        typeof(IndexCorpusOrchestrator),
        typeof(FanOutOrchestrator),
    ];

    public static IReadOnlyList<Type> Activities { get; } =
    [
        typeof(ListInputBlobsActivity),
        typeof(PlanInputBlobActivity),
        typeof(ExtractQueriesActivity),
        typeof(MergeShardGraphActivity),
        typeof(IndexDocumentsActivity),
        typeof(BuildGraphSnapshotActivity),
        typeof(PlanPathsActivity),
        typeof(WriteInstructionsActivity),
        typeof(PairInstructionsActivity),
        typeof(GeneratePairsActivity),
        typeof(DeduplicatePairsActivity),
        typeof(FinalizeDatasetActivity),
        typeof(ModelBatchActivity),
    ];

    /// <summary>Registers every task with a Durable Task worker.</summary>
    public static void Register(DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        foreach (var type in Orchestrators)
        {
            registry.AddOrchestrator(type);
        }

        foreach (var type in Activities)
        {
            registry.AddActivity(type);
        }
    }
}
