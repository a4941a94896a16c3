using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Instructions;
using WildLong.Core.MetaInfo;
using WildLong.Llm.Batch;
using WildLong.Llm.Costs;
using WildLong.Pipeline.Orchestration;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Extraction;

/// <summary>
/// Stage 1 for one slice of a query shard: read, pre-filter, extract meta-information with the model, normalize,
/// and write the records (with real request excerpts for the instruction writer, and every rejected query with its
/// reason, and how many were filtered by the pre-filter and by the model) to blobs. An output that is already complete is
/// returned as is, so a re-delivered activity costs no model call.
/// </summary>
public sealed class ExtractQueriesActivity(
    PipelineBlobStore blobs,
    InputSlices slices,
    MetaInfoExtractor extractor,
    MetaInfoNormalizer normalizer,
    CostCalculator costs,
    IOptions<GlobalBatchOptions> batch) : TaskActivity<WorkSlice, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskActivityContext context, WorkSlice input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var output = blobs.Layout.ExtractionBatch(input.Scope, input.Version, input.Index);
        if (await blobs.TryGetCompletedAsync<WorkSummary>(output, cancellationToken) is { } done)
        {
            return done;
        }

        var copy = await blobs.GetLocalCopyAsync(input.Source, input.Version, cancellationToken);
        var read = await slices.ReadQueriesAsync(copy.Path, input.Source.ToString(), input.Start, input.Count, cancellationToken);
        var quarantine = read.Where(r => !r.IsSuccess).Select(r => r.Error!).ToList();
        var queries = read.Where(r => r.IsSuccess).Select(r => r.Value!).ToList();

        using var usage = new ActivityUsage(costs);
        using var pass = new BatchPass(input, batch);
        var extracted = await extractor.ExtractAsync(queries, cancellationToken);
        if (await pass.DeferredAsync(blobs, nameof(ExtractQueriesActivity), input, cancellationToken) is { } deferred)
        {
            return deferred;
        }

        quarantine.AddRange(extracted.Quarantined);
        var normalized = await normalizer.NormalizeAsync(extracted.Extracted, cancellationToken);
        quarantine.AddRange(normalized.Quarantined);

        var summary = usage.Summarize(read.Count, normalized.Items.Count, quarantine.Count);

        // Written before the batch, whose completion mark says the slice is done.
        var texts = queries.GroupBy(q => q.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Text, StringComparer.Ordinal);
        var examples = RequestExampleIndex.Extract(normalized.Items, id => texts.GetValueOrDefault(id)).ToList();
        await blobs.WriteLinesAsync(blobs.Layout.ExtractionExamples(input.Scope, input.Version, input.Index), examples, summary, cancellationToken);
        var filteredBy = extracted.Filtered.GroupBy(f => f.FilteredBy, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        await blobs.UploadTextAsync(blobs.Layout.ExtractionFilters(input.Scope, input.Version, input.Index), JsonSerializer.Serialize(filteredBy, WildLongJson.Options), cancellationToken);
        await blobs.WriteLinesAsync(blobs.Layout.ExtractionQuarantine(input.Scope, input.Version, input.Index), quarantine, summary, cancellationToken);
        await blobs.WriteLinesAsync(output, normalized.Items, summary, cancellationToken);
        return summary;
    }
}
