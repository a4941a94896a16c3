using Microsoft.Extensions.Options;
using WildLong.Core;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Llm.Batch;
using WildLong.Llm.Costs;
using WildLong.Pipeline.Orchestration;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// Stage 2 for one slice of a round's plan: adapt each instruction to its documents, answer from them, judge, and
/// write the pairs that pass (and every rejection with its reason). Slices follow the plan's document grouping, so
/// the calls about one document run together and share the model's prompt cache.
/// </summary>
public sealed class GeneratePairsActivity(
    PipelineBlobStore blobs,
    RunDataCache cache,
    RunStageFactory stages,
    CostCalculator costs,
    IOptions<GlobalBatchOptions> batch) : RoundSliceActivity<PlannedPair, TrainingRecord>(blobs, cache, costs, batch)
{
    protected override string Stage => StageNames.PairGeneration;

    protected override BlobRef Output(BlobLayout layout, WorkSlice slice) => layout.GeneratedPairs(slice.Scope, slice.Round, slice.Index);

    protected override async Task<BatchResult<TrainingRecord>> ProcessAsync(IReadOnlyList<PlannedPair> items, WorkSlice slice, CancellationToken cancellationToken)
    {
        var loaded = new List<LoadedPair>(items.Count);
        foreach (var pair in items)
        {
            var documents = new List<LongDocument>(pair.Documents.Count);
            foreach (var document in pair.Documents)
            {
                documents.Add(await Cache.DocumentAsync(slice.Scope, document.Id, cancellationToken));
            }

            loaded.Add(new LoadedPair(pair, documents));
        }

        return await stages.For(slice.Settings!).Generator.GenerateAsync(loaded, new RunCacheDocumentSource(Cache, slice.Scope), cancellationToken);
    }
}
