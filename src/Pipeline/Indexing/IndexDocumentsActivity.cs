using System.Security.Cryptography;
using System.Text;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Llm.Batch;
using WildLong.Llm.Costs;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Orchestration;
using WildLong.Storage.Blobs;
using WildLong.Storage.Documents;

namespace WildLong.Pipeline.Indexing;

/// <summary>
/// Indexes one slice of a corpus file: type (classified by the model only when the corpus gives no usable hint),
/// token count and length bucket go to the document table, the text to a blob addressed by its content. A document
/// already indexed with the same content is skipped, so re-uploading a corpus costs nothing.
/// </summary>
public sealed class IndexDocumentsActivity(
    PipelineBlobStore blobs,
    InputSlices slices,
    DocumentIndexer indexer,
    DocumentIndexStore index,
    CostCalculator costs,
    IOptions<GlobalBatchOptions> batch) : TaskActivity<WorkSlice, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskActivityContext context, WorkSlice input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var marker = blobs.Layout.IndexingMarker(input.Scope, input.Version, input.Index);
        if (await blobs.TryGetCompletedAsync<WorkSummary>(marker, cancellationToken) is { } done)
        {
            return done;
        }

        var copy = await blobs.GetLocalCopyAsync(input.Source, input.Version, cancellationToken);
        var read = await slices.ReadDocumentsAsync(copy.Path, input.Source.ToString(), input.Start, input.Count, cancellationToken);
        var quarantine = read.Where(r => !r.IsSuccess).Select(r => r.Error!).ToList();
        var documents = read.Where(r => r.IsSuccess).Select(r => r.Value!).ToList();

        // A repeated id keeps its first occurrence (the indexer quarantines the repeat with its reason).
        var firstById = new Dictionary<string, LongDocument>(StringComparer.Ordinal);
        foreach (var document in documents)
        {
            firstById.TryAdd(document.Id, document);
        }

        var hashes = firstById.ToDictionary(kv => kv.Key, kv => ContentHash(kv.Value.Text), StringComparer.Ordinal);
        var fresh = new List<LongDocument>();
        var entries = new List<DocumentIndexEntry>();
        foreach (var document in documents)
        {
            var existing = await index.GetAsync(document.Id, cancellationToken);
            if (existing is null || existing.ContentHash != hashes[document.Id])
            {
                fresh.Add(document);
            }
            else if (!entries.Exists(e => e.Document.Id == document.Id))
            {
                entries.Add(existing);
            }
        }

        var unchanged = entries.Count;

        using var usage = new ActivityUsage(costs);
        using var pass = new BatchPass(input, batch);
        var indexed = await indexer.IndexAsync(fresh, cancellationToken);
        if (await pass.DeferredAsync(blobs, nameof(IndexDocumentsActivity), input, cancellationToken) is { } deferred)
        {
            return deferred;
        }

        quarantine.AddRange(indexed.Quarantined);
        foreach (var item in indexed.Items)
        {
            var hash = hashes[item.Id];
            var textBlob = blobs.Layout.DocumentText(hash);
            if (!await blobs.ExistsAsync(textBlob, cancellationToken))
            {
                await blobs.UploadTextAsync(textBlob, firstById[item.Id].Text, cancellationToken);
            }

            entries.Add(new DocumentIndexEntry(item, textBlob.Name, hash));
        }

        await index.UpsertAsync(entries.Skip(unchanged).ToList(), cancellationToken);

        // Part-only notes are reports on indexed documents, not rejections.
        var summary = usage.Summarize(read.Count, entries.Count, quarantine.Count(q => !DocumentIndexer.IsPartOnlyNote(q)));
        await blobs.WriteLinesAsync(blobs.Layout.IndexingQuarantine(input.Scope, input.Version, input.Index), quarantine, summary, cancellationToken);

        // The marker lists the slice's documents as indexed, so a run reads exactly its corpora's documents (by
        // content) whatever else the shared index holds by then.
        await blobs.WriteLinesAsync(marker, entries, summary, cancellationToken);
        return summary;
    }

    private static string ContentHash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
}
