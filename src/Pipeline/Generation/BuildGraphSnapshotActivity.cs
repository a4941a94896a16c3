using System.Text.Json;
using Microsoft.DurableTask;
using WildLong.Core.Common;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Graphs;
using WildLong.Core.MetaInfo;
using WildLong.Pipeline.Blobs;
using WildLong.Pipeline.Graphs;
using WildLong.Pipeline.Runs;

namespace WildLong.Pipeline.Generation;

/// <summary>
/// Compacts the merged counts in Table Storage and freezes the run's graphs: near-duplicate values merged across all
/// shards (the global step extraction could not do), rare document types folded into "other", thresholds applied.
/// Written once per run, so every generation activity — and a resumed run — samples the same graphs.
/// </summary>
public sealed class BuildGraphSnapshotActivity(
    PipelineBlobStore blobs,
    GraphCountStore graphs,
    NearDuplicateMerger valueMerger,
    DocumentTaxonomy taxonomy,
    IOptions<TaxonomyOptions> taxonomyOptions,
    IOptions<GraphOptions> graphOptions) : TaskActivity<GenerationRequest, GraphSnapshot>
{
    public override async Task<GraphSnapshot> RunAsync(TaskActivityContext context, GenerationRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(taxonomyOptions);
        ArgumentNullException.ThrowIfNull(graphOptions);
        var cancellationToken = CancellationToken.None;
        var target = blobs.Layout.GraphSnapshot(input.RunId);
        if (await blobs.TryGetCompletedAsync<GraphSnapshot>(target, cancellationToken) is { } done)
        {
            return done;
        }

        await graphs.CompactAsync(cancellationToken);
        var totals = await graphs.ReadTotalsAsync(cancellationToken);

        var valueCounts = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var node in totals.Graphs.SelectMany(g => g.Nodes))
        {
            var field = valueCounts.TryGetValue(node.Field, out var existing) ? existing : valueCounts[node.Field] = new(StringComparer.Ordinal);
            field[node.Value] = field.GetValueOrDefault(node.Value) + node.Count;
        }

        var countsByField = valueCounts.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, long>)kv.Value, StringComparer.Ordinal);
        var mergeMap = await valueMerger.BuildAsync(countsByField, cancellationToken);

        // The largest merges per field, beside the snapshot, for the manifest (FinalizeDatasetActivity reads them).
        await blobs.UploadTextAsync(MergesOf(target), JsonSerializer.Serialize(valueMerger.TopMerges(mergeMap, countsByField), WildLongJson.Options), cancellationToken);
        var remapped = totals.Remap((_, field, value) => mergeMap.Canonical(field, value));
        var fold = taxonomy.FoldRareTypes(remapped.Graphs.ToDictionary(g => g.DocumentType, g => g.RecordCount, StringComparer.Ordinal), taxonomyOptions.Value.MinQueriesPerType);
        var folded = new GraphSet();
        foreach (var graph in remapped.Graphs)
        {
            folded.Merge(CooccurrenceGraph.FromCounts(fold[graph.DocumentType], graph.RecordCount, graph.Nodes, graph.Edges));
        }

        var snapshot = folded.Prune(graphOptions.Value);
        var summary = new GraphSnapshot(target, snapshot.Count, snapshot.RecordCount, snapshot.Graphs.Sum(g => g.NodeCount),
            snapshot.Graphs.Sum(g => g.EdgeCount), mergeMap.MergedValueCount);
        using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(snapshot.ToJson()));
        await blobs.UploadAsync(target, content, summary, cancellationToken);
        return summary;
    }

    /// <summary>Where the run's largest value merges per field are kept (JSON: field → list of <see cref="ValueMerge"/>).</summary>
    public static BlobRef MergesOf(BlobRef snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot with { Name = snapshot.Name[..^".json".Length] + ".merges.json" };
    }
}
