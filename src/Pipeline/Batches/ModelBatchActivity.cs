using System.Globalization;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Model;
using WildLong.Llm.Batch;
using WildLong.Llm.Caching;
using WildLong.Llm.Costs;
using WildLong.Pipeline.Orchestration;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Batches;

/// <summary>
/// The batch steps of batch mode, each a short activity so no activity holds a lease while a batch runs (the
/// orchestration waits with durable timers between polls). Submit is idempotent by content: the submission id is a
/// hash of the request lines and their attempts, its ticket and each submitted part are recorded in blobs before the
/// next step, so a replay, a re-delivered activity or a resumed run after a kill finds the batch already submitted.
/// Collect writes every line's outcome into the response-cache store (<see cref="BatchAnswers"/>) and bills the
/// answered lines at the batch price; its summary is recorded too, so a second collection bills nothing again.
/// </summary>
public sealed class ModelBatchActivity(
    PipelineBlobStore blobs,
    IModelBatchProvider provider,
    IOptions<GlobalBatchOptions> options,
    IResponseCacheStore store,
    IChatClient chat,
    CostCalculator costs,
    ILogger<ModelBatchActivity> logger) : TaskActivity<ModelBatchRequest, ModelBatchResult>
{
    private const string TicketFile = "ticket.json";
    private const string CollectedFile = "collected.json";

    public override async Task<ModelBatchResult> RunAsync(TaskActivityContext context, ModelBatchRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        return input.Action switch
        {
            ModelBatchAction.Submit => new ModelBatchResult(Ticket: await SubmitAsync(input.Pending ?? [], cancellationToken)),
            ModelBatchAction.Poll => await PollAsync(input.Ticket ?? throw new ArgumentException("poll needs a ticket", nameof(input)), cancellationToken),
            ModelBatchAction.Collect => new ModelBatchResult(Done: true, Collected: await CollectAsync(input.Ticket ?? throw new ArgumentException("collect needs a ticket", nameof(input)), cancellationToken)),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input.Action, "unknown batch step"),
        };
    }

    private async Task<ModelBatchTicket> SubmitAsync(IReadOnlyList<BlobRef> pending, CancellationToken cancellationToken)
    {
        _ = CacheIdentity();   // before anything is paid for: collected answers need the cache's store
        // Identical requests of different slices share one line (same custom_id: stage and cache key).
        var lines = new SortedDictionary<string, (string Line, int Attempt)>(StringComparer.Ordinal);
        foreach (var blob in pending)
        {
            foreach (var text in (await blobs.DownloadTextAsync(blob, cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var document = JsonDocument.Parse(text);
                var request = document.RootElement.GetProperty("request");
                lines.TryAdd(request.GetProperty("custom_id").GetString()!, (request.GetRawText(), document.RootElement.GetProperty("attempt").GetInt32()));
            }
        }

        var submission = StableHash.ContentAddress([.. lines.SelectMany(kv => new[] { kv.Key, kv.Value.Attempt.ToString(CultureInfo.InvariantCulture), kv.Value.Line })])[..32];
        var ticketBlob = blobs.Layout.BatchSubmission(submission, TicketFile);
        if (await blobs.ExistsAsync(ticketBlob, cancellationToken))
        {
            return Read<ModelBatchTicket>(await blobs.DownloadTextAsync(ticketBlob, cancellationToken));
        }

        var folder = Path.Combine(Path.GetTempPath(), "wildlong-batch", submission + "-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var files = await new BatchRequestWriter(options).WriteLinesAsync(lines.Select(kv => (kv.Key, kv.Value.Line)), folder, submission, cancellationToken);
            var parts = new List<ModelBatchPart>();
            for (var i = 0; i < files.Count; i++)
            {
                var partBlob = blobs.Layout.BatchSubmission(submission, $"part-{i + 1:D4}.json");
                if (await blobs.ExistsAsync(partBlob, cancellationToken))
                {
                    parts.Add(Read<ModelBatchPart>(await blobs.DownloadTextAsync(partBlob, cancellationToken)));
                    continue;
                }

                var requests = blobs.Layout.BatchSubmission(submission, $"requests-{i + 1:D4}.jsonl");
                await blobs.UploadTextAsync(requests, await File.ReadAllTextAsync(files[i].Path, cancellationToken), cancellationToken);
                var batchId = await provider.SubmitAsync($"{submission[..20]}-{i + 1:D4}", files[i].Path, cancellationToken);
                var part = new ModelBatchPart(batchId, requests, files[i].LineCount);
                await blobs.UploadTextAsync(partBlob, JsonSerializer.Serialize(part, WildLongJson.Options), cancellationToken);
                parts.Add(part);
                if (logger.IsEnabled(LogLevel.Information))
                {
                    logger.LogInformation("Batch submission {Submission}: part {Part} of {Parts} submitted as {BatchId} ({Lines} lines)", submission, i + 1, files.Count, batchId, files[i].LineCount);
                }
            }

            var ticket = new ModelBatchTicket(submission, parts, lines.Count);
            await blobs.UploadTextAsync(ticketBlob, JsonSerializer.Serialize(ticket, WildLongJson.Options), cancellationToken);
            return ticket;
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private async Task<ModelBatchResult> PollAsync(ModelBatchTicket ticket, CancellationToken cancellationToken)
    {
        var ended = 0;
        var statuses = new List<string>();
        foreach (var part in ticket.Parts)
        {
            var status = await provider.GetStatusAsync(part.BatchId, cancellationToken);
            ended += status.IsTerminal ? 1 : 0;
            statuses.Add($"{part.BatchId} {status.Status}");
        }

        return new ModelBatchResult(Ticket: ticket, Done: ended == ticket.Parts.Count, Status: $"{ended} of {ticket.Parts.Count} part(s) ended: {string.Join(", ", statuses)}");
    }

    private async Task<WorkSummary> CollectAsync(ModelBatchTicket ticket, CancellationToken cancellationToken)
    {
        var collectedBlob = blobs.Layout.BatchSubmission(ticket.Submission, CollectedFile);
        if (await blobs.ExistsAsync(collectedBlob, cancellationToken))
        {
            return Read<WorkSummary>(await blobs.DownloadTextAsync(collectedBlob, cancellationToken));
        }

        var identity = CacheIdentity();
        var ledger = new UsageLedger();
        var answered = 0;
        var failures = new List<string>();
        foreach (var part in ticket.Parts)
        {
            var expected = new List<string>();
            foreach (var text in (await blobs.DownloadTextAsync(part.Requests, cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var document = JsonDocument.Parse(text);
                expected.Add(document.RootElement.GetProperty("custom_id").GetString()!);
            }

            var status = await provider.GetStatusAsync(part.BatchId, cancellationToken);
            var collection = await provider.CollectAsync(status, expected, cancellationToken);
            foreach (var result in collection.Results.Values.OrderBy(r => r.CustomId, StringComparer.Ordinal))
            {
                if (BatchDeferral.Parse(result.CustomId) is not { } id)
                {
                    continue;
                }

                if (await BatchAnswers.RecordAsync(store, identity, id.CacheKey, result, ticket.Submission, cancellationToken))
                {
                    ledger.Record(id.Stage, result.Response!.Usage);
                    answered++;
                }
                else
                {
                    failures.Add($"{result.CustomId}: {result.FailureReason}");
                }
            }
        }

        if (failures.Count > 0 && logger.IsEnabled(LogLevel.Warning))
        {
            logger.LogWarning("Batch submission {Submission}: {Failed} of {Lines} lines failed (sent once more, or quarantined with the item on a second failure); first: {First}",
                ticket.Submission, failures.Count, ticket.Lines, failures[0]);
        }

        var summary = new WorkSummary(0, 0, 0, ledger.Snapshot(), costs.Calculate(ledger, batch: true).Total.Total);
        await blobs.UploadTextAsync(collectedBlob, JsonSerializer.Serialize(summary, WildLongJson.Options), cancellationToken);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Batch submission {Submission}: {Answered} of {Lines} lines answered", ticket.Submission, answered, ticket.Lines);
        }

        return summary;
    }

    private string CacheIdentity() => chat.GetService<ResponseCachingChatClient>()?.Identity
        ?? throw new InvalidOperationException("batch mode needs the response cache (WildLong:Llm:Cache:Enabled=true): collected answers are kept in its store");

    private static T Read<T>(string json) => JsonSerializer.Deserialize<T>(json, WildLongJson.Options)
        ?? throw new InvalidDataException($"an empty {typeof(T).Name} record");
}
