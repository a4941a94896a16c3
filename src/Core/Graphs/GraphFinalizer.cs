using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.MetaInfo;

namespace WildLong.Core.Graphs;

/// <summary>
/// Turns a run's raw co-occurrence counts (the sum of its shards' contributions, or the graphs built from its
/// records in one process) into the graphs it samples: near-duplicate values merged across all shards, rare document
/// types folded into <c>other</c>, thresholds applied — in that order. The in-process runner and the durable
/// pipeline both call it, so the same counts always give the same graphs whichever engine runs them.
/// </summary>
public sealed class GraphFinalizer(
    NearDuplicateMerger valueMerger,
    DocumentTaxonomy taxonomy,
    IOptions<TaxonomyOptions> taxonomyOptions,
    IOptions<GraphOptions> graphOptions)
{
    public async Task<FinalizedGraphs> FinalizeAsync(GraphSet counts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(taxonomyOptions);
        ArgumentNullException.ThrowIfNull(graphOptions);

        // Values are counted over every type: a value merges the same way whichever document type it was seen with.
        var valueCounts = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var node in counts.Graphs.SelectMany(g => g.Nodes))
        {
            var field = valueCounts.TryGetValue(node.Field, out var existing) ? existing : valueCounts[node.Field] = new(StringComparer.Ordinal);
            field[node.Value] = field.GetValueOrDefault(node.Value) + node.Count;
        }

        var countsByField = valueCounts.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, long>)kv.Value, StringComparer.Ordinal);
        var mergeMap = await valueMerger.BuildAsync(countsByField, cancellationToken);
        var merged = counts.Remap((_, field, value) => mergeMap.Canonical(field, value));
        var fold = taxonomy.FoldRareTypes(merged.Graphs.ToDictionary(g => g.DocumentType, g => g.RecordCount, StringComparer.Ordinal), taxonomyOptions.Value.MinQueriesPerType);
        var folded = merged.FoldTypes(fold);
        return new FinalizedGraphs(folded.Prune(graphOptions.Value), mergeMap, fold, valueMerger.TopMerges(mergeMap, countsByField));
    }
}
