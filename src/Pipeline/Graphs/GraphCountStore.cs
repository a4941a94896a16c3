using System.Collections.Concurrent;
using System.Text.Json;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Graphs;
using WildLong.Pipeline.Tables;
using WildLong.Storage;

namespace WildLong.Pipeline.Graphs;

/// <summary>
/// Co-occurrence counts in Table Storage, merged exactly and idempotently although activities run at least once,
/// shards are re-uploaded and several shards merge at the same time. Each shard writes its counts as contribution
/// rows keyed by (shard, version); a ledger row per shard then names the version readers count, and rows of other
/// versions are deleted afterwards. Rewriting a shard/version rewrites identical rows; a merge that crashes before
/// its ledger write leaves rows nobody counts; a new version replaces the old one in a single ledger write.
/// Compaction sums the counted contributions into the totals table that export and generation read.
/// </summary>
/// <remarks>
/// <para>Table GraphShards: partition = encoded document type; row keys <c>{shardId}|{version}|n|{hash}</c> (node),
/// <c>…|e|{hash}</c> (edge), <c>…|r</c> (record count), hash = 128-bit hash of field/value(/field/value). Ledger:
/// partition <c>~ledger</c>, row key shardId. Table Graph: partition = encoded document type; row keys
/// <c>n|{hash}</c>, <c>e|{hash}</c>, <c>r</c>; marker <c>~totals/current</c> with the content hash.</para>
/// <para>Readers check each shard's row count against its ledger row and the totals against the marker's hash, so a
/// contribution that lost rows, or totals torn by an interrupted compaction, fail loudly instead of counting wrong.
/// A version should identify the shard's content; a version reused for other content is still handled (the merge
/// deletes the rows of its version that it did not write). Merging two DIFFERENT versions of the same shard at the same time is not supported (the later ledger write
/// wins, and the loser's cleanup may delete the winner's rows); readers then detect the damage, and re-merging the
/// shard repairs it.</para>
/// </remarks>
public sealed partial class GraphCountStore : IDisposable
{
    internal const string LedgerPartition = "~ledger";
    internal const string TotalsMarkerPartition = "~totals";
    internal const string TotalsMarkerRow = "current";
    private const int VersionKeyLength = 96;
    private const int MaxReadAttempts = 3;
    private const string Complete = "complete";

    private readonly LazyTable shardTable;
    private readonly LazyTable totalsTable;
    private readonly ILogger<GraphCountStore> logger;

    public GraphCountStore(TableServiceClient tableService, IOptions<StorageOptions> options, ILogger<GraphCountStore> logger)
    {
        ArgumentNullException.ThrowIfNull(tableService);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var tables = options.Value.Tables;
        shardTable = new LazyTable(tableService, tables.GraphShards);
        totalsTable = new LazyTable(tableService, tables.Graph);
        this.logger = logger;
    }

    /// <summary>Table requests in flight at once per operation.</summary>
    internal int MaxConcurrentRequests { get; set; } = 8;

    /// <summary>
    /// Records <paramref name="counts"/> as the contribution of shard <paramref name="shardKey"/> at
    /// <paramref name="version"/>: writes its rows, then the ledger row, then deletes the shard's rows of any
    /// other version. Safe to repeat; a repeat with the same version changes nothing readers see.
    /// </summary>
    public async Task<GraphShardMergeResult> MergeShardAsync(string shardKey, string version, GraphSet counts, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shardKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(counts);
        var table = await shardTable.GetAsync(cancellationToken);
        var shardId = ShardIdOf(shardKey);
        var previous = await table.GetEntityIfExistsAsync<TableEntity>(LedgerPartition, shardId, cancellationToken: cancellationToken);
        if (previous.HasValue && !string.Equals(previous.Value!.GetString("ShardKey"), shardKey, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Shard keys '{shardKey}' and '{previous.Value.GetString("ShardKey")}' have the same shard id {shardId}; rename one of the shards.");
        }

        var rows = ContributionRows(shardId, version, counts);
        var written = await TableBatches.UpsertAsync(table, rows, MaxConcurrentRequests, cancellationToken);

        var ledger = new TableEntity(LedgerPartition, shardId)
        {
            ["ShardKey"] = shardKey,
            ["Version"] = version,
            ["RowCount"] = written,
            ["RecordCount"] = counts.RecordCount,
            ["CompletedAt"] = DateTimeOffset.UtcNow,
        };
        TableText.Write(ledger, "DocumentTypes", JsonSerializer.Serialize(counts.DocumentTypes));
        await table.UpsertEntityAsync(ledger, TableUpdateMode.Replace, cancellationToken);

        // Re-read: a concurrent merge of this shard may have recorded another version after ours.
        var entries = await ReadLedgerAsync(table, cancellationToken);
        var current = entries.FirstOrDefault(e => e.ShardId == shardId);
        var currentVersion = current?.Version ?? version;
        // Partitions that may hold this shard's rows: every counted type, ours, and the types of the version we replace.
        var replacedTypes = previous.HasValue ? ToShardInfo(previous.Value!, table.Name).DocumentTypes : [];
        var partitions = entries.SelectMany(e => e.DocumentTypes).Concat(counts.DocumentTypes).Concat(replacedTypes).Distinct(StringComparer.Ordinal);
        var ours = string.Equals(currentVersion, version, StringComparison.Ordinal)
            ? rows.Select(r => (r.PartitionKey, r.RowKey)).ToHashSet()
            : null;
        var deleted = await DeleteStaleRowsAsync(table, shardId, currentVersion, ours, partitions, cancellationToken);

        var isCurrent = string.Equals(currentVersion, version, StringComparison.Ordinal);
        LogShardMerged(logger, shardKey, version, written, deleted, isCurrent);
        return new GraphShardMergeResult(shardKey, shardId, version, counts.DocumentTypes, counts.RecordCount, written, deleted, isCurrent);
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
                    $"Graph contributions in table '{shardTable.Name}' are incomplete; re-merge the shards named: {string.Join("; ", problems)}");
            }

            // The ledger moved while we read (a shard was re-merged): read again.
        }
    }

    /// <summary>
    /// Writes the merged totals into the totals table, replacing changed rows and deleting rows that no longer
    /// exist; rows already holding the right count are left alone. Repeating it changes nothing.
    /// </summary>
    public async Task<GraphCompactionResult> CompactAsync(CancellationToken cancellationToken)
    {
        var merged = await ReadMergedAsync(cancellationToken);
        var hash = GraphContentHash.Compute(merged);
        var table = await totalsTable.GetAsync(cancellationToken);

        var existing = new Dictionary<(string Partition, string Row), long>();
        await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "Count", "RecordCount"], cancellationToken: cancellationToken))
        {
            if (!row.PartitionKey.StartsWith(TableKeys.Reserved))
            {
                existing[(row.PartitionKey, row.RowKey)] = row.GetInt64("Count") ?? row.GetInt64("RecordCount") ?? -1;
            }
        }

        await table.UpsertEntityAsync(Marker(hash, merged, "compacting"), TableUpdateMode.Replace, cancellationToken);

        var changed = new List<ITableEntity>();
        var unchanged = 0L;
        var wanted = new HashSet<(string, string)>();
        foreach (var graph in merged.Graphs)
        {
            foreach (var (entity, count) in TotalRows(graph))
            {
                wanted.Add((entity.PartitionKey, entity.RowKey));
                if (existing.TryGetValue((entity.PartitionKey, entity.RowKey), out var old) && old == count)
                {
                    unchanged++;
                }
                else
                {
                    changed.Add(entity);
                }
            }
        }

        var gone = existing.Keys.Where(k => !wanted.Contains(k)).Select(k => (ITableEntity)new TableEntity(k.Partition, k.Row)).ToList();
        var written = await TableBatches.UpsertAsync(table, changed, MaxConcurrentRequests, cancellationToken);
        var deleted = await TableBatches.DeleteAsync(table, gone, MaxConcurrentRequests, cancellationToken);
        await table.UpsertEntityAsync(Marker(hash, merged, Complete), TableUpdateMode.Replace, cancellationToken);

        var types = merged.Graphs.Select(g => new GraphTypeTotals(g.DocumentType, g.RecordCount, g.NodeCount, g.EdgeCount)).ToList();
        LogCompacted(logger, types.Count, hash, written, deleted, unchanged);
        return new GraphCompactionResult(types, hash, written, deleted, unchanged);
    }

    /// <summary>
    /// The compacted totals (empty before the first compaction). Throws <see cref="InvalidOperationException"/>
    /// when a compaction is under way or was interrupted, or the rows do not match the recorded content hash.
    /// </summary>
    public async Task<GraphSet> ReadTotalsAsync(CancellationToken cancellationToken)
    {
        var table = await totalsTable.GetAsync(cancellationToken);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(TotalsMarkerPartition, TotalsMarkerRow, cancellationToken: cancellationToken);
        var marker = response.HasValue ? response.Value : null;
        if (marker is null)
        {
            return new GraphSet();
        }

        if (!string.Equals(marker.GetString("State"), Complete, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Graph totals in table '{totalsTable.Name}' are being compacted or a compaction was interrupted; run compaction again before reading them.");
        }

        var partitions = new Dictionary<string, PartitionRows>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
        {
            if (row.PartitionKey.StartsWith(TableKeys.Reserved))
            {
                continue;
            }

            if (!partitions.TryGetValue(row.PartitionKey, out var rows))
            {
                partitions.Add(row.PartitionKey, rows = new PartitionRows());
            }

            rows.Add(row, row.RowKey);
        }

        var set = new GraphSet();
        foreach (var (partition, rows) in partitions)
        {
            try
            {
                set.Merge(rows.ToGraph(() => $"Partition '{partition}' of table '{totalsTable.Name}'"));
            }
            catch (InvalidDataException error)
            {
                throw new InvalidOperationException($"{error.Message} Run compaction again.", error);
            }
        }

        var hash = GraphContentHash.Compute(set);
        if (!string.Equals(hash, marker.GetString("ContentHash"), StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Graph totals in table '{totalsTable.Name}' do not match the content hash recorded by the last compaction; run compaction again.");
        }

        return set;
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
    }

    /// <summary>
    /// Writes the contribution rows of a shard/version without touching the ledger: the first step of
    /// <see cref="MergeShardAsync"/>, exposed so tests can simulate a merge that crashes before its ledger write.
    /// </summary>
    internal async Task<long> WriteContributionRowsAsync(string shardKey, string version, GraphSet counts, CancellationToken cancellationToken)
    {
        var table = await shardTable.GetAsync(cancellationToken);
        return await TableBatches.UpsertAsync(table, ContributionRows(ShardIdOf(shardKey), version, counts), MaxConcurrentRequests, cancellationToken);
    }

    internal static string ShardIdOf(string shardKey) => StableHash.Hash64(shardKey).ToString("x16", System.Globalization.CultureInfo.InvariantCulture);

    internal static string PartitionOf(string documentType) => TableKeys.Encode(documentType);

    private static string RowPrefix(string shardId, string version)
        => string.Concat(shardId, TableKeys.Separator.ToString(), TableKeys.Encode(version, VersionKeyLength), TableKeys.Separator.ToString());

    private static List<ITableEntity> ContributionRows(string shardId, string version, GraphSet counts)
    {
        var prefix = RowPrefix(shardId, version);
        return counts.Graphs.SelectMany(g => ContributionRows(g, prefix)).ToList();
    }

    private static IEnumerable<ITableEntity> ContributionRows(CooccurrenceGraph graph, string prefix)
    {
        var partition = PartitionOf(graph.DocumentType);
        yield return RecordCountEntity(partition, prefix + "r", graph);
        foreach (var node in graph.Nodes)
        {
            yield return NodeEntity(partition, prefix + "n|" + TableKeys.Hash128(node.Field, node.Value), node);
        }

        foreach (var edge in graph.Edges)
        {
            yield return EdgeEntity(partition, prefix + "e|" + TableKeys.Hash128(edge.FieldA, edge.ValueA, edge.FieldB, edge.ValueB), edge);
        }

        foreach (var (entity, _) in ShapeAndSignatureRows(partition, prefix, graph))
        {
            yield return entity;
        }
    }

    /// <summary>
    /// The rows added for recombination and path shapes (additive like node and edge rows): <c>h|{hash}</c> per shape
    /// bin (Field, Values, Count) and <c>s|{hash}</c> per record value set (Nodes: space-separated node hashes, Count).
    /// Graphs stored before these rows existed read back with an empty shape and no signatures.
    /// </summary>
    private static IEnumerable<(ITableEntity Entity, long Count)> ShapeAndSignatureRows(string partition, string prefix, CooccurrenceGraph graph)
    {
        foreach (var bin in graph.Shape.ToBins())
        {
            var values = bin.Values.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return (new TableEntity(partition, prefix + "h|" + TableKeys.Hash128(bin.Field, values))
            {
                ["Field"] = Checked(bin.Field, "field name"),
                ["Values"] = bin.Values,
                ["Count"] = bin.Count,
            }, bin.Count);
        }

        foreach (var signature in graph.Signatures.ToRows())
        {
            var nodes = string.Join(' ', signature.Nodes);
            yield return (new TableEntity(partition, prefix + "s|" + TableKeys.Hash128(nodes))
            {
                ["Nodes"] = Checked(nodes, "record signature"),
                ["Count"] = signature.Count,
            }, signature.Count);
        }
    }

    private static TableEntity RecordCountEntity(string partition, string rowKey, CooccurrenceGraph graph)
    {
        var entity = new TableEntity(partition, rowKey) { ["DocumentType"] = graph.DocumentType, ["RecordCount"] = graph.RecordCount };
        if (graph.Signatures.Truncated)
        {
            entity["SignaturesTruncated"] = true;
        }

        return entity;
    }

    private static IEnumerable<(ITableEntity Entity, long Count)> TotalRows(CooccurrenceGraph graph)
    {
        var partition = PartitionOf(graph.DocumentType);
        // A truncated graph's record-count row is always rewritten: its flag is not part of the count compared.
        yield return (RecordCountEntity(partition, "r", graph), graph.Signatures.Truncated ? -2 : graph.RecordCount);
        foreach (var node in graph.Nodes)
        {
            yield return (NodeEntity(partition, "n|" + TableKeys.Hash128(node.Field, node.Value), node), node.Count);
        }

        foreach (var edge in graph.Edges)
        {
            yield return (EdgeEntity(partition, "e|" + TableKeys.Hash128(edge.FieldA, edge.ValueA, edge.FieldB, edge.ValueB), edge), edge.Count);
        }

        foreach (var row in ShapeAndSignatureRows(partition, string.Empty, graph))
        {
            yield return row;
        }
    }

    private static TableEntity NodeEntity(string partition, string rowKey, GraphNode node)
        => new(partition, rowKey)
        {
            ["Field"] = Checked(node.Field, "field name"),
            ["Value"] = Checked(node.Value, "value"),
            ["Count"] = node.Count,
        };

    private static TableEntity EdgeEntity(string partition, string rowKey, GraphEdge edge)
        => new(partition, rowKey)
        {
            ["FieldA"] = Checked(edge.FieldA, "field name"),
            ["ValueA"] = Checked(edge.ValueA, "value"),
            ["FieldB"] = Checked(edge.FieldB, "field name"),
            ["ValueB"] = Checked(edge.ValueB, "value"),
            ["Count"] = edge.Count,
        };

    private static string Checked(string text, string what)
        => text.Length <= TableBatches.MaxStringLength
            ? text
            : throw new ArgumentException(
                $"A graph {what} of {text.Length} characters exceeds Table Storage's property limit of {TableBatches.MaxStringLength} characters: '{text[..40]}…'.");

    private static TableEntity Marker(string hash, GraphSet merged, string state)
        => new(TotalsMarkerPartition, TotalsMarkerRow)
        {
            ["State"] = state,
            ["ContentHash"] = hash,
            ["DocumentTypes"] = JsonSerializer.Serialize(merged.DocumentTypes),
            ["RecordCount"] = merged.RecordCount,
            ["CompactedAt"] = DateTimeOffset.UtcNow,
        };

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
            row.GetInt64("RowCount") ?? 0,
            row.GetDateTimeOffset("CompletedAt") ?? DateTimeOffset.MinValue);

    private static bool SameLedger(List<GraphShardInfo> a, List<GraphShardInfo> b)
        => a.Count == b.Count
            && a.Zip(b).All(p => p.First.ShardId == p.Second.ShardId
                && string.Equals(p.First.Version, p.Second.Version, StringComparison.Ordinal)
                && p.First.RowCount == p.Second.RowCount);

    private async Task<(GraphSet Set, List<string> Problems)> ReadContributionsAsync(
        TableClient table,
        IReadOnlyList<GraphShardInfo> ledger,
        CancellationToken cancellationToken)
    {
        var work = ledger.SelectMany(e => e.DocumentTypes.Select(t => (Entry: e, Type: t))).ToList();
        var graphs = new CooccurrenceGraph?[work.Count];
        var rowsPerShard = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var problems = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, work.Count),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentRequests, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var (entry, type) = work[i];
                var prefix = RowPrefix(entry.ShardId, entry.Version);
                var rows = new PartitionRows();
                long count = 0;
                await foreach (var row in table.QueryAsync<TableEntity>(TableKeys.PrefixFilter(PartitionOf(type), prefix), cancellationToken: ct))
                {
                    rows.Add(row, row.RowKey[prefix.Length..]);
                    count++;
                }

                rowsPerShard.AddOrUpdate(entry.ShardId, count, (_, c) => c + count);
                try
                {
                    graphs[i] = rows.ToGraph(() => $"Shard '{entry.ShardKey}' version '{entry.Version}' type '{type}'", type);
                }
                catch (InvalidDataException error)
                {
                    problems.Add(error.Message);
                }
            });

        foreach (var entry in ledger)
        {
            var found = rowsPerShard.GetValueOrDefault(entry.ShardId);
            if (found != entry.RowCount)
            {
                problems.Add($"shard '{entry.ShardKey}' version '{entry.Version}' has {found} rows where its ledger row says {entry.RowCount}");
            }
        }

        var set = new GraphSet();
        foreach (var graph in graphs)
        {
            if (graph is not null)
            {
                set.Merge(graph);
            }
        }

        return (set, problems.Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>
    /// Deletes the shard's rows of versions other than <paramref name="currentVersion"/> and, when
    /// <paramref name="currentRows"/> is given (the current version is the one just written), rows of the current
    /// version that it did not write (left by an earlier merge that reused the version for other content).
    /// </summary>
    private async Task<long> DeleteStaleRowsAsync(
        TableClient table,
        string shardId,
        string currentVersion,
        HashSet<(string Partition, string Row)>? currentRows,
        IEnumerable<string> documentTypes,
        CancellationToken cancellationToken)
    {
        var shardPrefix = shardId + TableKeys.Separator;
        var keep = RowPrefix(shardId, currentVersion);
        var stale = new ConcurrentBag<ITableEntity>();
        await Parallel.ForEachAsync(
            documentTypes.Select(PartitionOf).Distinct(StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentRequests, CancellationToken = cancellationToken },
            async (partition, ct) =>
            {
                await foreach (var row in table.QueryAsync<TableEntity>(TableKeys.PrefixFilter(partition, shardPrefix), select: ["RowKey"], cancellationToken: ct))
                {
                    if (!row.RowKey.StartsWith(keep, StringComparison.Ordinal) || (currentRows is not null && !currentRows.Contains((partition, row.RowKey))))
                    {
                        stale.Add(new TableEntity(partition, row.RowKey));
                    }
                }
            });
        return stale.IsEmpty ? 0 : await TableBatches.DeleteAsync(table, stale, MaxConcurrentRequests, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Merged graph shard {ShardKey} version {Version}: {RowsWritten} rows written, {StaleRowsDeleted} stale rows deleted, current: {IsCurrent}")]
    private static partial void LogShardMerged(ILogger logger, string shardKey, string version, long rowsWritten, long staleRowsDeleted, bool isCurrent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Compacted graph totals of {TypeCount} document types (hash {ContentHash}): {RowsWritten} rows written, {RowsDeleted} deleted, {RowsUnchanged} unchanged")]
    private static partial void LogCompacted(ILogger logger, int typeCount, string contentHash, long rowsWritten, long rowsDeleted, long rowsUnchanged);
}
