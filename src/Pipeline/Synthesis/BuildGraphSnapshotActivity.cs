using System.Text.Json;
using Microsoft.DurableTask;
using WildLong.Core.Common;
using WildLong.Core.Graphs;
using WildLong.Core.Instructions;
using WildLong.Core.MetaInfo;
using WildLong.Core.Reports;
using WildLong.Core.Runner;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Storage.Blobs;
using WildLong.Storage.Documents;
using WildLong.Storage.Graphs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// Freezes what a run generates from. A run with named inputs sums exactly its shards' graph contributions and
/// pairs with exactly its corpora's documents (from the indexing marks, by content), whatever else the account
/// holds; without named inputs (the accumulating mode) it takes every merged shard and every indexed document. The
/// counts are finalized by <see cref="GraphFinalizer"/> (the in-process runner's step) and written, with the
/// document catalog, the request examples, the scope and the query side of the dataset report's inputs, once per run, so every generation activity — and a resumed run — sees the same.
/// </summary>
public sealed class BuildGraphSnapshotActivity(
    PipelineBlobStore blobs,
    GraphCountStore graphs,
    DocumentIndexStore index,
    GraphFinalizer finalizer,
    MetaInfoSchema schema,
    InputSlices slices) : TaskActivity<GenerationRequest, GraphSnapshot>
{
    public override async Task<GraphSnapshot> RunAsync(TaskActivityContext context, GenerationRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var layout = blobs.Layout;
        var target = layout.GraphSnapshot(input.RunId);
        if (await blobs.TryGetCompletedAsync<GraphSnapshot>(target, cancellationToken) is { } done)
        {
            return done;
        }

        // The account's totals (what graph export and GET /api/graphs show) are kept current in either mode.
        await graphs.CompactAsync(cancellationToken);
        GraphSet counts;
        IReadOnlyList<DocumentIndexEntry> catalog;
        RunScopeReport scope;
        if (input.Inputs is { } inputs)
        {
            var merged = await graphs.ReadMergedAsync([.. inputs.Shards.Select(s => s.Blob.ToString())], cancellationToken);
            counts = merged.Graphs;
            var versions = merged.Shards.ToDictionary(s => s.ShardKey, s => s.Version, StringComparer.Ordinal);
            var (documents, perCorpus) = await ReadCorporaAsync(inputs.Corpora, input.Shape.DocumentBatchSize, cancellationToken);
            catalog = documents;
            scope = new RunScopeReport(
                RunScopeReport.NamedInputs,
                [.. inputs.Shards.Select(s => new ScopedInput(s.Blob.ToString(), versions.GetValueOrDefault(s.Blob.ToString(), s.Version), s.Items))],
                [.. inputs.Corpora.Select(c => new ScopedInput(c.Blob.ToString(), c.Version, perCorpus.GetValueOrDefault(c.Id)))]);
        }
        else
        {
            counts = await graphs.ReadTotalsAsync(cancellationToken);
            catalog = await index.ReadAllAsync(cancellationToken);
            var shards = await graphs.ListShardsAsync(cancellationToken);
            scope = new RunScopeReport(
                RunScopeReport.AllInputs,
                [.. shards.Select(s => new ScopedInput(s.ShardKey, s.Version, null))],
                [new ScopedInput("(every indexed document)", "-", catalog.Count)]);
        }

        var finalized = await finalizer.FinalizeAsync(counts, cancellationToken);
        var snapshot = finalized.Graphs;

        // The largest merges per field, beside the snapshot, for the manifest (FinalizeDatasetActivity reads them).
        await blobs.UploadTextAsync(MergesOf(target), JsonSerializer.Serialize(finalized.TopMerges, WildLongJson.Options), cancellationToken);
        var examples = input.Inputs is { } named
            ? await ReadExamplesAsync(named.Shards, input.Shape.QueryBatchSize, finalized, cancellationToken)
            : RequestExampleIndex.Empty;
        await blobs.WriteLinesAsync(layout.RunExamples(input.RunId), examples.Entries, new { examples.Count }, cancellationToken);
        await blobs.WriteLinesAsync(layout.RunCatalog(input.RunId), catalog, new { catalog.Count }, cancellationToken);
        if (input.Inputs is { } reported)
        {
            var sources = await ReadReportSourcesAsync(reported.Shards, input.Shape.QueryBatchSize, input.Settings.Seed, finalized, cancellationToken);
            await blobs.UploadTextAsync(layout.RunReportSources(input.RunId), JsonSerializer.Serialize(sources, WildLongJson.Options), cancellationToken);
        }

        await blobs.UploadTextAsync(layout.RunScope(input.RunId), JsonSerializer.Serialize(scope, WildLongJson.Options), cancellationToken);

        var reason = input.Inputs is null
            ? (snapshot.RecordCount == 0 ? "no query shard in this account has given meta-information yet"
                : catalog.Count == 0 ? "no document is indexed in this account yet" : null)
            : NoPairsReason.BeforeGeneration(scope.QueryShards.Sum(s => s.Items ?? 0), 0, 0, snapshot.RecordCount, scope.Corpora.Sum(c => c.Items ?? 0), catalog.Count);
        var summary = new GraphSnapshot(target, snapshot.Count, snapshot.RecordCount, snapshot.Graphs.Sum(g => g.NodeCount),
            snapshot.Graphs.Sum(g => g.EdgeCount), finalized.Merges.MergedValueCount, catalog.Count, reason);
        using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(snapshot.ToJson()));
        await blobs.UploadAsync(target, content, summary, cancellationToken);
        return summary;
    }

    /// <summary>
    /// The real request excerpts and value details of the shards' extraction slices, mapped like the graphs (values
    /// merged, types folded), as the in-process runner builds them from its records.
    /// </summary>
    private async Task<RequestExampleIndex> ReadExamplesAsync(IReadOnlyList<InputBlobPlan> shards, int batchSize, FinalizedGraphs finalized, CancellationToken cancellationToken)
    {
        var entries = new List<RequestExample>();
        foreach (var slice in shards.SelectMany(s => ExtractionSteps.Slice(s, batchSize)))
        {
            var blob = blobs.Layout.ExtractionExamples(slice.Scope, slice.Version, slice.Index);
            if (await blobs.TryGetCompletedAsync<WorkSummary>(blob, cancellationToken) is not null)
            {
                entries.AddRange(await blobs.ReadLinesAsync<RequestExample>(blob, cancellationToken));
            }
        }

        var mapped = entries
            .Select(e => e with
            {
                DocumentType = finalized.TypeFold.GetValueOrDefault(e.DocumentType, e.DocumentType),
                Value = finalized.Merges.Canonical(e.Field, e.Value),
            })
            .Distinct();
        return RequestExampleIndex.FromEntries(mapped);
    }

    /// <summary>
    /// The query side of the dataset report's inputs, as the in-process runner collects them: the kept real queries
    /// (records' query ids) and a seeded sample of their texts (read back from the shards' local copies, only the
    /// sampled ones kept), the pre-filter/model split of the filtered queries (null when a slice predates its
    /// recording) and the records holding each graph field after merging. A shard whose blob has changed since it was
    /// extracted gives no texts; the report then says the realism figure is not recorded.
    /// </summary>
    private async Task<DatasetReportInputs> ReadReportSourcesAsync(IReadOnlyList<InputBlobPlan> shards, int batchSize, ulong seed, FinalizedGraphs finalized, CancellationToken cancellationToken)
    {
        var queryIds = new HashSet<string>(StringComparer.Ordinal);
        var fieldRecords = new Dictionary<string, long>(StringComparer.Ordinal);
        Dictionary<string, int>? filteredBy = new(StringComparer.Ordinal);
        long records = 0;
        foreach (var slice in shards.SelectMany(s => ExtractionSteps.Slice(s, batchSize)))
        {
            var batch = blobs.Layout.ExtractionBatch(slice.Scope, slice.Version, slice.Index);
            if (await blobs.TryGetCompletedAsync<WorkSummary>(batch, cancellationToken) is null)
            {
                continue;
            }

            foreach (var record in await blobs.ReadLinesAsync<MetaInfoRecord>(batch, cancellationToken))
            {
                records++;
                queryIds.Add(record.QueryId);
                foreach (var field in finalized.Merges.Apply(record).Fields.Where(f => f.Value.Count > 0 && !schema.NonGraphFields.Contains(f.Key)))
                {
                    fieldRecords[field.Key] = fieldRecords.GetValueOrDefault(field.Key) + 1;
                }
            }

            var filters = blobs.Layout.ExtractionFilters(slice.Scope, slice.Version, slice.Index);
            if (filteredBy is not null && await blobs.ExistsAsync(filters, cancellationToken))
            {
                foreach (var (by, count) in JsonSerializer.Deserialize<Dictionary<string, int>>(await blobs.DownloadTextAsync(filters, cancellationToken), WildLongJson.Options) ?? [])
                {
                    filteredBy[by] = filteredBy.GetValueOrDefault(by) + count;
                }
            }
            else
            {
                filteredBy = null;
            }
        }

        // The sample orders by the (seed, id) hash, so only the first ids in that order need their texts.
        var wanted = queryIds.OrderBy(id => StableHash.Hash64(id, seed)).ThenBy(id => id, StringComparer.Ordinal).Take(DatasetReportInputs.MaxRealQueries)
            .ToHashSet(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var shard in shards.Where(_ => wanted.Count > 0))
        {
            var copy = await blobs.GetLocalCopyAsync(shard.Blob, shard.Version, cancellationToken);
            if (copy.Version != shard.Version)
            {
                continue;
            }

            foreach (var (id, text) in await slices.ReadQueryTextsAsync(copy.Path, wanted, cancellationToken))
            {
                texts.TryAdd(id, text);
            }
        }

        return new DatasetReportInputs(
            queryIds.Count,
            texts.Count == 0 && queryIds.Count > 0 ? null : DatasetReportInputs.Sample(texts.Select(kv => (kv.Key, kv.Value)), seed),
            filteredBy?.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            null, null, null, null, null,
            records,
            fieldRecords.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
    }

    /// <summary>The documents the corpora's indexing marks list (first occurrence of an id wins), in id order.</summary>
    private async Task<(List<DocumentIndexEntry> Documents, Dictionary<string, long> PerCorpus)> ReadCorporaAsync(
        IReadOnlyList<InputBlobPlan> corpora, int batchSize, CancellationToken cancellationToken)
    {
        var byId = new Dictionary<string, DocumentIndexEntry>(StringComparer.Ordinal);
        var perCorpus = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var corpus in corpora)
        {
            long count = 0;
            foreach (var slice in ExtractionSteps.Slice(corpus, batchSize))
            {
                var marker = blobs.Layout.IndexingMarker(slice.Scope, slice.Version, slice.Index);
                if (await blobs.TryGetCompletedAsync<WorkSummary>(marker, cancellationToken) is null)
                {
                    continue;
                }

                foreach (var entry in await blobs.ReadLinesAsync<DocumentIndexEntry>(marker, cancellationToken))
                {
                    count++;
                    byId.TryAdd(entry.Document.Id, entry);
                }
            }

            perCorpus[corpus.Id] = count;
        }

        return ([.. byId.Values.OrderBy(e => e.Document.Id, StringComparer.Ordinal)], perCorpus);
    }

    /// <summary>Where the run's largest value merges per field are kept (JSON: field → list of <see cref="ValueMerge"/>).</summary>
    public static BlobRef MergesOf(BlobRef snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot with { Name = snapshot.Name[..^".json".Length] + ".merges.json" };
    }
}
