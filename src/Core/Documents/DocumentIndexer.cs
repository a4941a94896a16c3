using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;

namespace WildLong.Core.Documents;

/// <summary>
/// Turns corpus documents into index entries (type, token count, length bucket) that pairing can choose from
/// without rereading texts. Length is checked before classification, so documents no bucket accepts never cost
/// a model call; every rejected document is quarantined with its reason.
/// </summary>
public sealed class DocumentIndexer
{
    private readonly DocumentClassifier classifier;
    private readonly LengthBuckets buckets;
    private readonly int minPartTokens;
    private readonly TokenCounter tokenCounter;
    private readonly ILogger<DocumentIndexer> logger;

    public DocumentIndexer(DocumentClassifier classifier, IOptions<DocumentOptions> options, TokenCounter? tokenCounter = null, ILogger<DocumentIndexer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.classifier = classifier ?? throw new ArgumentNullException(nameof(classifier));
        buckets = options.Value.CreateLengthBuckets();
        minPartTokens = Math.Max(1, options.Value.MinPartTokens);
        this.tokenCounter = tokenCounter ?? TokenCounter.Shared;
        this.logger = logger ?? NullLogger<DocumentIndexer>.Instance;
    }

    /// <summary>The length bands documents are sorted into.</summary>
    public LengthBuckets LengthBuckets => buckets;

    public async Task<BatchResult<IndexedDocument>> IndexAsync(IReadOnlyList<LongDocument> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var quarantined = new List<QuarantineEntry>();
        var usable = new List<(LongDocument Document, int Tokens, string Bucket)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!seen.Add(document.Id))
            {
                quarantined.Add(QuarantineEntry.ForItem(StageNames.IndexDocuments, document.Id, "duplicate document id in the batch; the first occurrence is kept"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(document.Text))
            {
                quarantined.Add(QuarantineEntry.ForItem(StageNames.IndexDocuments, document.Id, "empty document text"));
                continue;
            }

            var tokens = tokenCounter.Count(document.Text);
            var bucket = buckets.Resolve(tokens, out var reason);
            if (bucket is null && tokens < buckets.MinTokens && tokens >= minPartTokens)
            {
                // Reported (the run's summary counts these notes) but kept: several short documents of one type
                // still make a long multi-document context.
                quarantined.Add(QuarantineEntry.ForItem(StageNames.IndexDocuments, document.Id, PartOnlyNote(tokens)));
                bucket = LengthBuckets.PartOnlyLabel;
            }

            if (bucket is null)
            {
                quarantined.Add(QuarantineEntry.ForItem(StageNames.IndexDocuments, document.Id, reason!));
                continue;
            }

            usable.Add((document, tokens, bucket));
        }

        var classified = await classifier.ClassifyAsync([.. usable.Select(u => u.Document)], cancellationToken);
        quarantined.AddRange(classified.Quarantined);
        var types = classified.Items.ToDictionary(c => c.DocumentId, c => c.DocumentType, StringComparer.Ordinal);
        var items = new List<IndexedDocument>(usable.Count);
        foreach (var (document, tokens, bucket) in usable)
        {
            if (types.TryGetValue(document.Id, out var type))
            {
                items.Add(new IndexedDocument(document.Id, document.Title, type, tokens, bucket));
            }
        }

        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Indexed {Indexed} of {Total} documents ({Quarantined} quarantined)", items.Count, batch.Count, quarantined.Count);
        }

        return new BatchResult<IndexedDocument>(items, quarantined);
    }

    /// <summary>True for the quarantine note of a document kept only as a multi-document part (not a rejection).</summary>
    public static bool IsPartOnlyNote(QuarantineEntry entry)
        => entry is not null && entry.Stage == StageNames.IndexDocuments && entry.Reason.StartsWith(PartOnlyPrefix, StringComparison.Ordinal);

    private string PartOnlyNote(int tokens)
        => $"{PartOnlyPrefix}: {tokens} tokens, under the smallest length bucket '{buckets.Buckets[0].Label}' (from {buckets.MinTokens} tokens)";

    private const string PartOnlyPrefix = "document too short to stand alone, kept for multi-document tasks only";
}
