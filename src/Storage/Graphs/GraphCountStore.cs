using System.Collections.Concurrent;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Graphs;
using WildLong.Storage.Blobs;
using WildLong.Storage.Tables;

namespace WildLong.Storage.Graphs;

/// <summary>
/// Co-occurrence counts merged exactly and idempotently although activities run at least once, shards are
/// re-uploaded and several shards merge at the same time. Each shard writes its whole contribution as ONE blob named
/// by the hash of its content; a ledger row per shard (the commit point) then names the version and content hash
/// readers count, and blobs of other versions are deleted afterwards. Rewriting a shard/version rewrites the same
/// blob; a merge that crashes before its ledger write leaves a blob nobody counts; a new version replaces the old one
/// in a single ledger write. Compaction sums the counted contributions into one blob per document type, committed by
/// one marker row, which export and generation read.
/// </summary>
/// <remarks>
/// <para>Why blobs: one table row per node and per edge made 80K contribution rows plus 80K compacted rows on the
/// shared data, a 105 MB table database that Azurite re-serializes every few seconds, so Azurite (not the model) was
/// the bottleneck of long local runs. A shard is now one blob and one ledger row, a document type one blob.</para>
/// <para>Blobs (container <see cref="StorageContainerNames.MetaInfo"/>): <c>graphs/shards/{shardId}/{sha}.json.gz</c>
/// (a <see cref="GraphSetDto"/>) and <c>graphs/totals/{typeId}/{sha}.json.gz</c> (a <see cref="CooccurrenceGraphDto"/>),
/// sha = first 32 hex digits of the SHA-256 of the blob's JSON (see <see cref="GraphBlobCodec"/>). Table GraphShards:
/// the ledger, partition <c>~ledger</c>, row key shardId, with the full SHA-256. Table Graph: the marker
/// <c>~totals/current</c> listing each type's blob hash and the content hash of all totals.</para>
/// <para>Readers check each blob against the hash of its commit row and the totals against the marker's content hash,
/// so a contribution or a compacted graph that was truncated, replaced or lost fails loudly instead of counting
/// wrong. A version should identify the shard's content; a version reused for other content is still handled (the
/// blob name follows the content). Merging two DIFFERENT versions of the same shard at the same time, or two
/// compactions of different counts at the same time, is not supported (the later commit wins, and the loser's cleanup
/// may delete the winner's blob); readers then detect the damage, and re-merging the shard (compacting again) repairs
/// it.</para>
/// <para>Contributions and totals written by the earlier one-row-per-entry layout are still read (ledger rows without
/// a content hash); re-merging such a shard moves it to a blob and deletes its rows, and compaction deletes the old
/// totals rows.</para>
/// </remarks>
public sealed partial class GraphCountStore : IDisposable
{
    internal const string LedgerPartition = "~ledger";
    internal const string TotalsMarkerPartition = "~totals";
    internal const string TotalsMarkerRow = "current";
    internal const string ShardBlobPrefix = "graphs/shards/";
    internal const string TotalsBlobPrefix = "graphs/totals/";
    private const int VersionKeyLength = 96;
    private const int MaxReadAttempts = 3;
    private const string Complete = "complete";
    private const string BlobLayout = "blobs";
    private const string Sha256Metadata = "wildlong_sha256";

    private readonly LazyTable shardTable;
    private readonly LazyTable totalsTable;
    private readonly LazyBlobContainer container;
    private readonly ILogger<GraphCountStore> logger;

    public GraphCountStore(BlobServiceClient blobService, TableServiceClient tableService, IOptions<StorageOptions> options, ILogger<GraphCountStore> logger)
    {
        ArgumentNullException.ThrowIfNull(blobService);
        ArgumentNullException.ThrowIfNull(tableService);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var tables = options.Value.Tables;
        shardTable = new LazyTable(tableService, tables.GraphShards);
        totalsTable = new LazyTable(tableService, tables.Graph);
        container = new LazyBlobContainer(blobService, options.Value.Containers.MetaInfo);
        this.logger = logger;
    }

    /// <summary>Storage requests in flight at once per operation.</summary>
    internal int MaxConcurrentRequests { get; set; } = 8;

    /// <summary>
    /// Records <paramref name="counts"/> as the contribution of shard <paramref name="shardKey"/> at
    /// <paramref name="version"/>: writes its blob, then the ledger row, then deletes the shard's blobs of any other
    /// version. Safe to repeat; a repeat with the same version and counts changes nothing readers see.
    /// </summary>
    public async Task<GraphShardMergeResult> MergeShardAsync(string shardKey, string version, GraphSet counts, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shardKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(counts);
        var table = await shardTable.GetAsync(cancellationToken);
        var shardId = ShardIdOf(shardKey);
        var previous = await ReadLedgerEntryAsync(table, shardId, cancellationToken);
        if (previous is not null && !string.Equals(previous.ShardKey, shardKey, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Shard keys '{shardKey}' and '{previous.ShardKey}' have the same shard id {shardId}; rename one of the shards.");
        }

        var (content, sha) = GraphBlobCodec.Encode(counts.ToDto());
        var written = await UploadIfChangedAsync(ShardBlobName(shardId, sha), content, sha, cancellationToken);
        var entries = EntryCount(counts);

        var ledger = new TableEntity(LedgerPartition, shardId)
        {
            ["ShardKey"] = shardKey,
            ["Version"] = version,
            ["ContentSha256"] = sha,
            ["EntryCount"] = entries,
            ["Bytes"] = (long)content.Length,
            ["RecordCount"] = counts.RecordCount,
            ["CompletedAt"] = DateTimeOffset.UtcNow,
        };
        TableText.Write(ledger, "DocumentTypes", JsonSerializer.Serialize(counts.DocumentTypes));
        await table.UpsertEntityAsync(ledger, TableUpdateMode.Replace, cancellationToken);

        // Re-read: a concurrent merge of this shard may have recorded another version after ours.
        var current = await ReadLedgerEntryAsync(table, shardId, cancellationToken);
        var isCurrent = current is not null
            && string.Equals(current.Version, version, StringComparison.Ordinal)
            && string.Equals(current.ContentSha256, sha, StringComparison.Ordinal);
        var keep = current?.ContentSha256 is { } currentSha ? ShardBlobName(shardId, currentSha) : null;
        var deleted = await DeleteBlobsAsync(ShardBlobPrefix + shardId + "/", keep, cancellationToken);
        if (previous is { ContentSha256: null })
        {
            // The version we replace was stored as rows (earlier layout): they go now that the ledger names a blob.
            deleted += await DeleteLegacyRowsAsync(table, shardId, previous.DocumentTypes, cancellationToken);
        }

        LogShardMerged(logger, shardKey, version, entries, content.Length, written, deleted, isCurrent);
        return new GraphShardMergeResult(shardKey, shardId, version, counts.DocumentTypes, counts.RecordCount, entries, content.Length, written, deleted, isCurrent);
    }

    /// <summary>
    /// The exact sum of the counted contributions of all shards. Throws <see cref="InvalidOperationException"/>
    /// when a counted contribution is incomplete (and stays so after re-reading the ledger).
    /// </summary>
    public async Task<GraphSet> ReadMergedAsync(CancellationToken cancellationToken)
        => (await ReadMergedAsync(shardKeys: null, cancellationToken)).Graphs;

    /// <summary>
    /// The exact sum of the counted contributions of the shards named by <paramref name="shardKeys"/> (all shards
    /// when null), with the ledger rows that were counted. Throws <see cref="InvalidOperationException"/> when a
    /// named shard has no counted contribution, or a counted contribution is incomplete.
    /// </summary>
    public async Task<(GraphSet Graphs, IReadOnlyList<GraphShardInfo> Shards)> ReadMergedAsync(IReadOnlyCollection<string>? shardKeys, CancellationToken cancellationToken)
    {
        var table = await shardTable.GetAsync(cancellationToken);
        var wanted = shardKeys?.ToHashSet(StringComparer.Ordinal);
        for (var attempt = 1; ; attempt++)
        {
            var ledger = await ReadLedgerAsync(table, cancellationToken);
            if (wanted is not null)
            {
                ledger = [.. ledger.Where(e => wanted.Contains(e.ShardKey))];
                var missing = wanted.Except(ledger.Select(e => e.ShardKey), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                if (missing.Count > 0)
                {
                    throw new InvalidOperationException($"No graph contribution is merged for shard(s) {string.Join(", ", missing)}; extract and merge them first.");
                }
            }

            var (set, problems) = await ReadContributionsAsync(table, ledger, cancellationToken);
            if (problems.Count == 0)
            {
                return (set, ledger);
            }

            var again = await ReadLedgerAsync(table, cancellationToken);
            if (wanted is not null)
            {
                again = [.. again.Where(e => wanted.Contains(e.ShardKey))];
            }

            if (SameLedger(ledger, again) || attempt == MaxReadAttempts)
            {
                throw new InvalidOperationException(
                    $"Graph contributions of table '{shardTable.Name}' are incomplete; re-merge the shards named: {string.Join("; ", problems)}");
            }

            // The ledger moved while we read (a shard was re-merged): read again.
        }
    }

    /// <summary>
    /// Writes the merged totals as one blob per document type and commits them with one marker write; blobs already
    /// holding the right graph are left alone, and totals no longer current are deleted after the commit. Repeating
    /// it changes nothing.
    /// </summary>
    public async Task<GraphCompactionResult> CompactAsync(CancellationToken cancellationToken)
    {
        var merged = await ReadMergedAsync(cancellationToken);
        var hash = GraphContentHash.Compute(merged);
        var table = await totalsTable.GetAsync(cancellationToken);

        var blobs = new GraphTotalsBlob[merged.Count];
        var uploaded = new bool[merged.Count];
        var graphs = merged.Graphs.ToList();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, graphs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentRequests, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var graph = graphs[i];
                var (content, sha) = GraphBlobCodec.Encode(graph.ToDto());
                uploaded[i] = await UploadIfChangedAsync(TotalsBlobName(graph.DocumentType, sha), content, sha, ct);
                blobs[i] = new GraphTotalsBlob(graph.DocumentType, sha, graph.RecordCount, graph.NodeCount, graph.EdgeCount);
            });

        var marker = new TableEntity(TotalsMarkerPartition, TotalsMarkerRow)
        {
            ["State"] = Complete,
            ["Layout"] = BlobLayout,
            ["ContentHash"] = hash,
            ["DocumentTypes"] = JsonSerializer.Serialize(merged.DocumentTypes),
            ["RecordCount"] = merged.RecordCount,
            ["CompactedAt"] = DateTimeOffset.UtcNow,
        };
        TableText.Write(marker, "Types", JsonSerializer.Serialize(blobs, WildLongJson.Options));
        await table.UpsertEntityAsync(marker, TableUpdateMode.Replace, cancellationToken);

        // After the commit: drop totals no longer named by the current marker (re-read: a concurrent compaction may
        // have committed after us) and rows of the earlier table layout.
        var current = await ReadTotalsMarkerAsync(table, cancellationToken);
        var keep = (current.Types ?? []).Select(b => TotalsBlobName(b.DocumentType, b.Sha256)).ToHashSet(StringComparer.Ordinal);
        var deleted = await DeleteBlobsAsync(TotalsBlobPrefix, keep.Contains, cancellationToken);
        var legacyRows = await DeleteLegacyTotalsRowsAsync(table, cancellationToken);

        var types = graphs.Select(g => new GraphTypeTotals(g.DocumentType, g.RecordCount, g.NodeCount, g.EdgeCount)).ToList();
        var written = uploaded.Count(u => u);
        LogCompacted(logger, types.Count, hash, written, graphs.Count - written, deleted, legacyRows);
        return new GraphCompactionResult(types, hash, written, graphs.Count - written, deleted, legacyRows);
    }

    /// <summary>
    /// The compacted totals (empty before the first compaction). Throws <see cref="InvalidOperationException"/>
    /// when a type's blob is missing or does not match the marker, the totals do not match the recorded content hash,
    /// or the totals are still in the earlier table layout (compacting again rewrites them).
    /// </summary>
    public async Task<GraphSet> ReadTotalsAsync(CancellationToken cancellationToken)
    {
        var table = await totalsTable.GetAsync(cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            var marker = await ReadTotalsMarkerAsync(table, cancellationToken);
            if (!marker.Exists)
            {
                return new GraphSet();
            }

            if (marker.Types is null)
            {
                throw new InvalidOperationException(
                    $"Graph totals in table '{totalsTable.Name}' are in the earlier row layout or a compaction was interrupted; run compaction again (a generation does) before reading them.");
            }

            var (set, problem) = await ReadTotalsBlobsAsync(marker.Types, cancellationToken);
            if (problem is null && !string.Equals(GraphContentHash.Compute(set), marker.ContentHash, StringComparison.Ordinal))
            {
                problem = $"Graph totals of table '{totalsTable.Name}' do not match the content hash recorded by the last compaction.";
            }

            if (problem is null)
            {
                return set;
            }

            // A compaction that committed while we read deletes the totals we were reading: read the new ones.
            var again = await ReadTotalsMarkerAsync(table, cancellationToken);
            if (attempt == MaxReadAttempts || string.Equals(again.ContentHash, marker.ContentHash, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{problem} Run compaction again.");
            }
        }
    }

    /// <summary>The ledger: which version of each shard is counted, ordered by shard key.</summary>
    public async Task<IReadOnlyList<GraphShardInfo>> ListShardsAsync(CancellationToken cancellationToken)
    {
        var table = await shardTable.GetAsync(cancellationToken);
        return await ReadLedgerAsync(table, cancellationToken);
    }

    public void Dispose()
    {
        shardTable.Dispose();
        totalsTable.Dispose();
        container.Dispose();
    }

    /// <summary>
    /// Writes the contribution blob of a shard's counts without touching the ledger: the first step of
    /// <see cref="MergeShardAsync"/>, exposed so tests can simulate a merge that crashes before its ledger write.
    /// Returns the blob's name.
    /// </summary>
    internal async Task<string> WriteContributionBlobAsync(string shardKey, GraphSet counts, CancellationToken cancellationToken)
    {
        var (content, sha) = GraphBlobCodec.Encode(counts.ToDto());
        var name = ShardBlobName(ShardIdOf(shardKey), sha);
        await UploadIfChangedAsync(name, content, sha, cancellationToken);
        return name;
    }

    /// <summary>The blob container the graph blobs live in (for tests that inspect or damage them).</summary>
    internal ValueTask<BlobContainerClient> ContainerAsync(CancellationToken cancellationToken) => container.GetAsync(cancellationToken);

    internal static string ShardIdOf(string shardKey) => StableHash.Hash64(shardKey).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    internal static string ShardBlobName(string shardId, string sha256) => $"{ShardBlobPrefix}{shardId}/{sha256[..32]}.json.gz";

    internal static string TotalsBlobName(string documentType, string sha256)
        => $"{TotalsBlobPrefix}{StableHash.Hash64(documentType).ToString("x16", System.Globalization.CultureInfo.InvariantCulture)}/{sha256[..32]}.json.gz";

    internal static string PartitionOf(string documentType) => TableKeys.Encode(documentType);

    /// <summary>What the earlier table layout counted as rows: a record-count entry per type, nodes, edges, shape bins, signatures.</summary>
    private static long EntryCount(GraphSet counts)
        => counts.Graphs.Sum(g => 1L + g.NodeCount + g.EdgeCount + g.Shape.ToBins().Count + g.Signatures.Count);

    private static string LegacyRowPrefix(string shardId, string version)
        => string.Concat(shardId, TableKeys.Separator.ToString(), TableKeys.Encode(version, VersionKeyLength), TableKeys.Separator.ToString());

    /// <summary>
    /// Uploads <paramref name="content"/> unless the blob already holds it (same length and the same content hash in
    /// its metadata; any other upload replaces the metadata too): a repeated merge or compaction costs one HEAD
    /// request, and a damaged blob is rewritten. Returns whether it uploaded.
    /// </summary>
    private async Task<bool> UploadIfChangedAsync(string name, byte[] content, string sha256, CancellationToken cancellationToken)
    {
        var client = (await container.GetAsync(cancellationToken)).GetBlobClient(name);
        try
        {
            var properties = (await client.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            if (properties.ContentLength == content.Length
                && properties.Metadata.TryGetValue(Sha256Metadata, out var stored)
                && string.Equals(stored, sha256, StringComparison.Ordinal))
            {
                return false;
            }
        }
        catch (RequestFailedException error) when (error.Status == 404)
        {
            // Not there yet.
        }

        await client.UploadAsync(
            BinaryData.FromBytes(content),
            new BlobUploadOptions
            {
                HttpHeaders = new BlobHttpHeaders { ContentType = "application/gzip" },
                Metadata = new Dictionary<string, string> { [Sha256Metadata] = sha256 },
            },
            cancellationToken);
        return true;
    }

    /// <summary>Downloads a graph blob, or null when it does not exist.</summary>
    private async Task<BinaryData?> DownloadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var client = (await container.GetAsync(cancellationToken)).GetBlobClient(name);
            return (await client.DownloadContentAsync(cancellationToken)).Value.Content;
        }
        catch (RequestFailedException error) when (error.Status == 404)
        {
            return null;
        }
    }

    private Task<long> DeleteBlobsAsync(string prefix, string? keep, CancellationToken cancellationToken)
        => DeleteBlobsAsync(prefix, name => string.Equals(name, keep, StringComparison.Ordinal), cancellationToken);

    /// <summary>Deletes the blobs under <paramref name="prefix"/> that <paramref name="keep"/> does not keep.</summary>
    private async Task<long> DeleteBlobsAsync(string prefix, Func<string, bool> keep, CancellationToken cancellationToken)
    {
        var client = await container.GetAsync(cancellationToken);
        var stale = new List<string>();
        await foreach (var item in client.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken))
        {
            if (!keep(item.Name))
            {
                stale.Add(item.Name);
            }
        }

        long deleted = 0;
        await Parallel.ForEachAsync(
            stale,
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentRequests, CancellationToken = cancellationToken },
            async (name, ct) =>
            {
                if ((await client.DeleteBlobIfExistsAsync(name, cancellationToken: ct)).Value)
                {
                    Interlocked.Increment(ref deleted);
                }
            });
        return deleted;
    }

    private static async Task<GraphShardInfo?> ReadLedgerEntryAsync(TableClient table, string shardId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(LedgerPartition, shardId, cancellationToken: cancellationToken);
        return row.HasValue ? ToShardInfo(row.Value!, table.Name) : null;
    }

    private static async Task<List<GraphShardInfo>> ReadLedgerAsync(TableClient table, CancellationToken cancellationToken)
    {
        var entries = new List<GraphShardInfo>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {LedgerPartition}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            entries.Add(ToShardInfo(row, table.Name));
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.ShardKey, b.ShardKey));
        return entries;
    }

    private static GraphShardInfo ToShardInfo(TableEntity row, string tableName)
        => new(
            row.GetString("ShardKey") ?? throw new InvalidOperationException($"Ledger row '{row.RowKey}' in table '{tableName}' has no ShardKey."),
            row.RowKey,
            row.GetString("Version") ?? throw new InvalidOperationException($"Ledger row '{row.RowKey}' in table '{tableName}' has no Version."),
            JsonSerializer.Deserialize<List<string>>(TableText.Read(row, "DocumentTypes") ?? "[]") ?? [],
            row.GetInt64("EntryCount") ?? row.GetInt64("RowCount") ?? 0,
            row.GetDateTimeOffset("CompletedAt") ?? DateTimeOffset.MinValue,
            row.GetString("ContentSha256"));

    private static bool SameLedger(List<GraphShardInfo> a, List<GraphShardInfo> b)
        => a.Count == b.Count
            && a.Zip(b).All(p => p.First.ShardId == p.Second.ShardId
                && string.Equals(p.First.Version, p.Second.Version, StringComparison.Ordinal)
                && string.Equals(p.First.ContentSha256, p.Second.ContentSha256, StringComparison.Ordinal)
                && p.First.EntryCount == p.Second.EntryCount);

    private async Task<(GraphSet Set, List<string> Problems)> ReadContributionsAsync(
        TableClient table,
        List<GraphShardInfo> ledger,
        CancellationToken cancellationToken)
    {
        var sets = new GraphSet?[ledger.Count];
        var problems = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, ledger.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentRequests, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var entry = ledger[i];
                try
                {
                    sets[i] = entry.ContentSha256 is null
                        ? await ReadLegacyContributionAsync(table, entry, ct)
                        : await ReadContributionBlobAsync(entry, ct);
                }
                catch (InvalidDataException error)
                {
                    problems.Add(error.Message);
                }
            });

        // Summed in ledger order, so the result never depends on which download finished first.
        var set = new GraphSet();
        foreach (var shard in sets)
        {
            if (shard is not null)
            {
                set.Merge(shard);
            }
        }

        return (set, problems.Order(StringComparer.Ordinal).ToList());
    }

    /// <exception cref="InvalidDataException">The blob is missing, damaged, or disagrees with its ledger row.</exception>
    private async Task<GraphSet> ReadContributionBlobAsync(GraphShardInfo entry, CancellationToken cancellationToken)
    {
        string Describe() => $"shard '{entry.ShardKey}' version '{entry.Version}'";
        var name = ShardBlobName(entry.ShardId, entry.ContentSha256!);
        var content = await DownloadAsync(name, cancellationToken)
            ?? throw new InvalidDataException($"{Describe()} has no contribution blob '{name}'");
        GraphSet set;
        try
        {
            set = GraphSet.FromDto(GraphBlobCodec.Decode<GraphSetDto>(content, entry.ContentSha256!, Describe));
        }
        catch (ArgumentException error)
        {
            throw new InvalidDataException($"{Describe()} is not a whole graph: {error.Message}", error);
        }

        if (!set.DocumentTypes.SequenceEqual(entry.DocumentTypes.Order(StringComparer.Ordinal), StringComparer.Ordinal) || EntryCount(set) != entry.EntryCount)
        {
            throw new InvalidDataException($"{Describe()} holds {EntryCount(set)} entries of types [{string.Join(", ", set.DocumentTypes)}] where its ledger row says {entry.EntryCount} of [{string.Join(", ", entry.DocumentTypes)}]");
        }

        return set;
    }

    /// <summary>A contribution stored by the earlier layout: one row per entry, keyed by shard and version, counted against the ledger's row count.</summary>
    private static async Task<GraphSet> ReadLegacyContributionAsync(TableClient table, GraphShardInfo entry, CancellationToken cancellationToken)
    {
        var prefix = LegacyRowPrefix(entry.ShardId, entry.Version);
        var set = new GraphSet();
        long count = 0;
        foreach (var type in entry.DocumentTypes)
        {
            var rows = new PartitionRows();
            await foreach (var row in table.QueryAsync<TableEntity>(TableKeys.PrefixFilter(PartitionOf(type), prefix), cancellationToken: cancellationToken))
            {
                rows.Add(row, row.RowKey[prefix.Length..]);
                count++;
            }

            set.Merge(rows.ToGraph(() => $"Shard '{entry.ShardKey}' version '{entry.Version}' type '{type}'", type));
        }

        return count == entry.EntryCount
            ? set
            : throw new InvalidDataException($"shard '{entry.ShardKey}' version '{entry.Version}' has {count} rows where its ledger row says {entry.EntryCount}");
    }

    /// <summary>Deletes every row of a shard left by the earlier layout in the partitions of <paramref name="documentTypes"/>.</summary>
    private async Task<long> DeleteLegacyRowsAsync(TableClient table, string shardId, IEnumerable<string> documentTypes, CancellationToken cancellationToken)
    {
        var stale = new List<ITableEntity>();
        foreach (var partition in documentTypes.Select(PartitionOf).Distinct(StringComparer.Ordinal))
        {
            await foreach (var row in table.QueryAsync<TableEntity>(TableKeys.PrefixFilter(partition, shardId + TableKeys.Separator), select: ["RowKey"], cancellationToken: cancellationToken))
            {
                stale.Add(new TableEntity(partition, row.RowKey));
            }
        }

        return stale.Count == 0 ? 0 : await TableBatches.DeleteAsync(table, stale, MaxConcurrentRequests, cancellationToken);
    }

    /// <summary>Deletes the totals rows of the earlier layout (every row but the marker); a no-op once they are gone.</summary>
    private async Task<long> DeleteLegacyTotalsRowsAsync(TableClient table, CancellationToken cancellationToken)
    {
        var stale = new List<ITableEntity>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey ne {TotalsMarkerPartition}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
        {
            stale.Add(new TableEntity(row.PartitionKey, row.RowKey));
        }

        return stale.Count == 0 ? 0 : await TableBatches.DeleteAsync(table, stale, MaxConcurrentRequests, cancellationToken);
    }

    /// <summary>The totals marker: whether there is one, its content hash, and its types' blobs (null unless it is a complete marker of the blob layout).</summary>
    private static async Task<(bool Exists, string? ContentHash, List<GraphTotalsBlob>? Types)> ReadTotalsMarkerAsync(TableClient table, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TotalsMarkerPartition, TotalsMarkerRow, cancellationToken: cancellationToken);
        if (!response.HasValue)
        {
            return (false, null, null);
        }

        var marker = response.Value!;
        var hash = marker.GetString("ContentHash");
        var complete = string.Equals(marker.GetString("State"), Complete, StringComparison.Ordinal)
            && string.Equals(marker.GetString("Layout"), BlobLayout, StringComparison.Ordinal);
        var types = complete && TableText.Read(marker, "Types") is { } json
            ? JsonSerializer.Deserialize<List<GraphTotalsBlob>>(json, WildLongJson.Options)
            : null;
        return (true, hash, types);
    }

    private async Task<(GraphSet Set, string? Problem)> ReadTotalsBlobsAsync(List<GraphTotalsBlob> types, CancellationToken cancellationToken)
    {
        var graphs = new CooccurrenceGraph?[types.Count];
        var problems = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, types.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentRequests, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var entry = types[i];
                var name = TotalsBlobName(entry.DocumentType, entry.Sha256);
                string Describe() => $"The compacted graph of document type '{entry.DocumentType}' (blob '{name}' in container '{container.Name}')";
                var content = await DownloadAsync(name, ct);
                if (content is null)
                {
                    problems.Add($"{Describe()} is missing.");
                    return;
                }

                try
                {
                    var graph = CooccurrenceGraph.FromDto(GraphBlobCodec.Decode<CooccurrenceGraphDto>(content, entry.Sha256, Describe));
                    graphs[i] = string.Equals(graph.DocumentType, entry.DocumentType, StringComparison.Ordinal)
                        ? graph
                        : throw new InvalidDataException($"{Describe()} holds document type '{graph.DocumentType}'.");
                }
                catch (Exception error) when (error is InvalidDataException or ArgumentException)
                {
                    problems.Add(error is InvalidDataException ? error.Message : $"{Describe()} is not a whole graph: {error.Message}");
                }
            });

        var set = new GraphSet();
        foreach (var graph in graphs)
        {
            if (graph is not null)
            {
                set.Merge(graph);
            }
        }

        return (set, problems.IsEmpty ? null : string.Join(" ", problems.Order(StringComparer.Ordinal)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Merged graph shard {ShardKey} version {Version}: {Entries} entries in a {Bytes}-byte blob (uploaded: {Uploaded}), {StaleDeleted} stale blobs/rows deleted, current: {IsCurrent}")]
    private static partial void LogShardMerged(ILogger logger, string shardKey, string version, long entries, long bytes, bool uploaded, long staleDeleted, bool isCurrent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compacted graph totals of {TypeCount} document types (hash {ContentHash}): {BlobsWritten} blobs written, {BlobsUnchanged} unchanged, {BlobsDeleted} stale blobs and {LegacyRows} earlier-layout rows deleted")]
    private static partial void LogCompacted(ILogger logger, int typeCount, string contentHash, long blobsWritten, long blobsUnchanged, long blobsDeleted, long legacyRows);
}
