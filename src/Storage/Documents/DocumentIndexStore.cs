using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Storage.Tables;

namespace WildLong.Storage.Documents;

/// <summary>
/// The document index in Table Storage: one row per long document, written by the indexing activities (upserts,
/// so a re-delivered activity rewrites the same rows) and read whole by pairing or by id by generation.
/// </summary>
/// <remarks>
/// Row key = 128-bit hash of the document id (ids are arbitrary text: paths, URLs). Partition key = "doc-" plus the
/// row key's first hex digit: 16 partitions spread load beyond one partition's throughput limit, while a document's
/// partition still follows from its id alone, so <see cref="GetAsync"/> is a point read (partitioning by document
/// type would force a scan to find an id). The id is stored too and checked on read.
/// </remarks>
public sealed partial class DocumentIndexStore : IDisposable
{
    private readonly LazyTable table;
    private readonly ILogger<DocumentIndexStore> logger;

    public DocumentIndexStore(TableServiceClient tableService, IOptions<StorageOptions> options, ILogger<DocumentIndexStore> logger)
    {
        ArgumentNullException.ThrowIfNull(tableService);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        table = new LazyTable(tableService, options.Value.Tables.Documents);
        this.logger = logger;
    }

    /// <summary>Table requests in flight at once per operation.</summary>
    internal int MaxConcurrentRequests { get; set; } = 8;

    /// <summary>Writes the entries (replacing rows of the same ids); for a repeated id the last entry wins.</summary>
    public async Task UpsertAsync(IReadOnlyList<DocumentIndexEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var rows = new Dictionary<string, ITableEntity>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var entity = ToEntity(entry);
            rows[entity.RowKey] = entity;
        }

        var client = await table.GetAsync(cancellationToken);
        var written = await TableBatches.UpsertAsync(client, rows.Values, MaxConcurrentRequests, cancellationToken);
        LogUpserted(logger, written, table.Name);
    }

    /// <summary>Every indexed document, ordered by id.</summary>
    public async Task<IReadOnlyList<DocumentIndexEntry>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var entries = new List<DocumentIndexEntry>();
        await foreach (var row in client.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            entries.Add(FromEntity(row));
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Document.Id, b.Document.Id));
        return entries;
    }

    /// <summary>The entry of one document, or null when it is not indexed.</summary>
    public async Task<DocumentIndexEntry?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var client = await table.GetAsync(cancellationToken);
        var rowKey = RowKeyOf(id);
        var response = await client.GetEntityIfExistsAsync<TableEntity>(PartitionOf(rowKey), rowKey, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return null;
        }

        var entry = FromEntity(response.Value!);
        return string.Equals(entry.Document.Id, id, StringComparison.Ordinal) ? entry : null;
    }

    public void Dispose() => table.Dispose();

    private static string RowKeyOf(string id) => TableKeys.Hash128(id);

    private static string PartitionOf(string rowKey) => "doc-" + rowKey[0];

    private static TableEntity ToEntity(DocumentIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var document = entry.Document ?? throw new ArgumentException("A document index entry has no document.", nameof(entry));
        ArgumentException.ThrowIfNullOrEmpty(document.Id, nameof(entry));
        var rowKey = RowKeyOf(document.Id);
        return new TableEntity(PartitionOf(rowKey), rowKey)
        {
            ["Id"] = Checked(document.Id, "Id", document.Id),
            ["Title"] = Checked(document.Title, "Title", document.Id),
            ["DocumentType"] = Checked(document.DocumentType, "DocumentType", document.Id),
            ["Tokens"] = document.Tokens,
            ["LengthBucket"] = Checked(document.LengthBucket, "LengthBucket", document.Id),
            ["TextBlob"] = Checked(entry.TextBlob, "TextBlob", document.Id),
            ["ContentHash"] = Checked(entry.ContentHash, "ContentHash", document.Id),
        };
    }

    private static DocumentIndexEntry FromEntity(TableEntity row)
        => new(
            new IndexedDocument(
                row.GetString("Id") ?? throw new InvalidOperationException($"Document index row '{row.RowKey}' has no Id."),
                row.GetString("Title") ?? string.Empty,
                row.GetString("DocumentType") ?? string.Empty,
                row.GetInt32("Tokens") ?? 0,
                row.GetString("LengthBucket") ?? string.Empty),
            row.GetString("TextBlob") ?? string.Empty,
            row.GetString("ContentHash") ?? string.Empty);

    private static string Checked(string? text, string property, string id)
    {
        text ??= string.Empty;
        return text.Length <= TableBatches.MaxStringLength
            ? text
            : throw new ArgumentException(
                $"Document '{id[..Math.Min(id.Length, 80)]}': {property} has {text.Length} characters, over Table Storage's limit of {TableBatches.MaxStringLength}.");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Upserted {Count} document index rows into table {Table}")]
    private static partial void LogUpserted(ILogger logger, long count, string table);
}
