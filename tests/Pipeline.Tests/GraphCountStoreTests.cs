using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using WildLong.Core.Graphs;
using WildLong.Core.MetaInfo;
using WildLong.Pipeline.Tests.Support;
using WildLong.Storage.Graphs;
using WildLong.Storage.Tables;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests;

/// <summary>
/// GraphCountStore on Azurite: merging shards is exact and idempotent under re-delivery, concurrency, re-uploads and
/// crashes, with one blob per shard and one ledger row as the commit point; compaction writes exactly the merged
/// totals as one blob per document type and is idempotent; torn blobs, ledger rows or markers fail loudly.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class GraphCountStoreTests(AzuriteFixture fixture, ITestOutputHelper output)
{
    private static readonly List<MetaInfoRecord> AllRecords = SyntheticRecords.Generate(3000, seed: 7);
    private static readonly List<List<MetaInfoRecord>> Shards = SyntheticRecords.Split(AllRecords, 4);

    private static string ShardKey(int i) => $"metainfo/run-1/shard-{i:D4}.jsonl";

    [Fact]
    public async Task Merging_all_shards_reads_back_exactly_the_graph_of_all_records()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();

        for (var i = 0; i < Shards.Count; i++)
        {
            var result = await store.MergeShardAsync(ShardKey(i), "v1", GraphSet.Build(Shards[i]), default);
            Assert.True(result.IsCurrent);
            Assert.True(result.BlobWritten);
            Assert.Equal(0, result.StaleDeleted);
            Assert.Equal(ExpectedEntryCount(GraphSet.Build(Shards[i])), result.EntryCount);
        }

        var expected = GraphSet.Build(AllRecords);
        var merged = await store.ReadMergedAsync(default);
        Assert.True(merged.ContentEquals(expected));
        Assert.Equal(4, merged.Count);
        Assert.Equal(3000, merged.RecordCount);
        var shards = await store.ListShardsAsync(default);
        Assert.Equal(Enumerable.Range(0, 4).Select(ShardKey), shards.Select(s => s.ShardKey));
        Assert.All(shards, s => Assert.Equal("v1", s.Version));

        // The compact layout: one blob per shard, named by the hash its ledger row records, and no row but the ledger.
        Assert.Equal(shards.Select(s => GraphCountStore.ShardBlobName(s.ShardId, s.ContentSha256!)).Order(StringComparer.Ordinal), await context.BlobNamesAsync(GraphCountStore.ShardBlobPrefix));
        Assert.All(await context.RowsAsync(context.Options.Tables.GraphShards), r => Assert.Equal(GraphCountStore.LedgerPartition, r.Partition));
    }

    [Fact]
    public async Task Re_merging_a_shard_with_the_same_version_changes_no_count_and_no_blob()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        foreach (var i in Enumerable.Range(0, 4))
        {
            await store.MergeShardAsync(ShardKey(i), "v1", GraphSet.Build(Shards[i]), default);
        }

        var blobsBefore = await BlobStatesAsync(context, GraphCountStore.ShardBlobPrefix);
        var first = await store.MergeShardAsync(ShardKey(2), "v1", GraphSet.Build(Shards[2]), default);
        var again = await store.MergeShardAsync(ShardKey(2), "v1", GraphSet.Build(Shards[2]), default);

        Assert.False(first.BlobWritten);
        Assert.False(again.BlobWritten);
        Assert.Equal(first.EntryCount, again.EntryCount);
        Assert.Equal(first.BlobBytes, again.BlobBytes);
        Assert.Equal(0, again.StaleDeleted);
        Assert.Equal(blobsBefore, await BlobStatesAsync(context, GraphCountStore.ShardBlobPrefix)); // same names, same ETags: nothing rewritten
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(GraphSet.Build(AllRecords)));
    }

    [Fact]
    public async Task Concurrent_and_repeated_interleaved_merges_of_all_shards_are_exact()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        var counts = Shards.Select(s => GraphSet.Build(s)).ToList();

        // Every shard twice (as a re-delivered activity would), interleaved: 0,1,2,3,0,1,2,3 all at once.
        var merges = Enumerable.Range(0, 8).Select(k => store.MergeShardAsync(ShardKey(k % 4), "v1", counts[k % 4], default));
        var results = await Task.WhenAll(merges);

        Assert.All(results, r => Assert.True(r.IsCurrent));
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(GraphSet.Build(AllRecords)));
        Assert.Equal(4, (await store.ListShardsAsync(default)).Count);
        Assert.Equal(4, (await context.BlobNamesAsync(GraphCountStore.ShardBlobPrefix)).Count);
    }

    [Fact]
    public async Task A_new_version_of_a_shard_replaces_its_old_counts_and_removes_their_blob()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        foreach (var i in Enumerable.Range(0, 4))
        {
            await store.MergeShardAsync(ShardKey(i), "v1", GraphSet.Build(Shards[i]), default);
        }

        var shardId = GraphCountStore.ShardIdOf(ShardKey(1));
        var oldBlob = Assert.Single(await context.BlobNamesAsync(GraphCountStore.ShardBlobPrefix + shardId + "/"));
        var replacement = SyntheticRecords.Generate(600, seed: 99, idPrefix: "r");
        var result = await store.MergeShardAsync(ShardKey(1), "v2", GraphSet.Build(replacement), default);

        Assert.True(result.IsCurrent);
        Assert.Equal(1, result.StaleDeleted);
        var expected = GraphSet.Build(Shards[0].Concat(replacement).Concat(Shards[2]).Concat(Shards[3]));
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(expected));
        var entry = (await store.ListShardsAsync(default)).Single(s => s.ShardKey == ShardKey(1));
        Assert.Equal("v2", entry.Version);
        var newBlob = Assert.Single(await context.BlobNamesAsync(GraphCountStore.ShardBlobPrefix + shardId + "/"));
        Assert.NotEqual(oldBlob, newBlob);
        Assert.Equal(GraphCountStore.ShardBlobName(shardId, entry.ContentSha256!), newBlob);
    }

    [Fact]
    public async Task A_version_reused_for_other_content_counts_only_the_latest_content()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        await store.MergeShardAsync(ShardKey(0), "v1", GraphSet.Build(Shards[0]), default);

        // The new content lacks a document type the old one had: nothing of the old content may still count.
        var other = SyntheticRecords.Generate(400, seed: 23, idPrefix: "o").Where(r => r.DocumentType != "novel").ToList();
        var result = await store.MergeShardAsync(ShardKey(0), "v1", GraphSet.Build(other), default);

        Assert.Equal(1, result.StaleDeleted);
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(GraphSet.Build(other)));
        Assert.Single(await context.BlobNamesAsync(GraphCountStore.ShardBlobPrefix));
    }

    [Fact]
    public async Task A_merge_that_crashed_before_its_ledger_write_is_not_counted_and_a_later_merge_is_exact()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        foreach (var i in Enumerable.Range(0, 3))
        {
            await store.MergeShardAsync(ShardKey(i), "v1", GraphSet.Build(Shards[i]), default);
        }

        // Crashes: a new shard's blob without a ledger row, and a new version of a counted shard without its ledger write.
        await store.WriteContributionBlobAsync(ShardKey(3), GraphSet.Build(Shards[3]), default);
        var orphan = await store.WriteContributionBlobAsync(ShardKey(0), GraphSet.Build(SyntheticRecords.Generate(300, seed: 5)), default);

        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(GraphSet.Build(Shards.Take(3).SelectMany(s => s))));

        // The re-delivered activities complete: shard 3 counts once; shard 0 v1 re-merged, the orphaned blob goes.
        var third = await store.MergeShardAsync(ShardKey(3), "v1", GraphSet.Build(Shards[3]), default);
        var repeat = await store.MergeShardAsync(ShardKey(0), "v1", GraphSet.Build(Shards[0]), default);

        Assert.False(third.BlobWritten); // the crashed merge had written exactly this blob
        Assert.Equal(1, repeat.StaleDeleted);
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(GraphSet.Build(AllRecords)));
        Assert.DoesNotContain(orphan, await context.BlobNamesAsync(GraphCountStore.ShardBlobPrefix));
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("truncated")]
    [InlineData("replaced")]
    public async Task A_counted_contribution_whose_blob_is_torn_fails_loudly_and_re_merging_repairs_it(string damage)
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        foreach (var i in Enumerable.Range(0, 2))
        {
            await store.MergeShardAsync(ShardKey(i), "v1", GraphSet.Build(Shards[i]), default);
        }

        var shardId = GraphCountStore.ShardIdOf(ShardKey(1));
        var blob = (await store.ContainerAsync(default)).GetBlobClient(Assert.Single(await context.BlobNamesAsync(GraphCountStore.ShardBlobPrefix + shardId + "/")));
        await DamageAsync(blob, damage, GraphSet.Build(Shards[0]).ToDto());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReadMergedAsync(default));
        Assert.Contains(ShardKey(1), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(ShardKey(0), error.Message, StringComparison.Ordinal);

        var repair = await store.MergeShardAsync(ShardKey(1), "v1", GraphSet.Build(Shards[1]), default);
        Assert.True(repair.BlobWritten);
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(GraphSet.Build(Shards[0].Concat(Shards[1]))));
    }

    [Fact]
    public async Task A_ledger_row_that_disagrees_with_its_blob_fails_loudly()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        await store.MergeShardAsync(ShardKey(0), "v1", GraphSet.Build(Shards[0]), default);

        var table = context.Service.GetTableClient(context.Options.Tables.GraphShards);
        var ledger = (await table.GetEntityAsync<TableEntity>(GraphCountStore.LedgerPartition, GraphCountStore.ShardIdOf(ShardKey(0)))).Value;
        ledger["EntryCount"] = ledger.GetInt64("EntryCount") + 1;
        await table.UpsertEntityAsync(ledger, TableUpdateMode.Replace);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReadMergedAsync(default));
        Assert.Contains(ShardKey(0), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compaction_writes_one_blob_per_type_is_idempotent_and_removes_vanished_types()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        Assert.Equal(0, (await store.ReadTotalsAsync(default)).Count);
        foreach (var i in Enumerable.Range(0, 4))
        {
            await store.MergeShardAsync(ShardKey(i), "v1", GraphSet.Build(Shards[i]), default);
        }

        var first = await store.CompactAsync(default);
        var merged = await store.ReadMergedAsync(default);
        var totals = await store.ReadTotalsAsync(default);
        Assert.True(totals.ContentEquals(merged));
        Assert.True(totals.ContentEquals(GraphSet.Build(AllRecords)));
        Assert.Equal(merged.Count, first.BlobsWritten);
        Assert.Equal(0, first.BlobsUnchanged);
        Assert.Equal(merged.Graphs.Select(g => (g.DocumentType, g.RecordCount, g.NodeCount, g.EdgeCount)), first.Types.Select(t => (t.DocumentType, t.RecordCount, t.NodeCount, t.EdgeCount)));
        var blobsAfterFirst = await BlobStatesAsync(context, GraphCountStore.TotalsBlobPrefix);
        Assert.Equal(merged.Count, blobsAfterFirst.Count);
        Assert.Equal([(GraphCountStore.TotalsMarkerPartition, GraphCountStore.TotalsMarkerRow)], (await context.RowsAsync(context.Options.Tables.Graph)).Select(r => (r.Partition, r.Row)));

        var second = await store.CompactAsync(default);
        Assert.Equal(first.ContentHash, second.ContentHash);
        Assert.Equal(0, second.BlobsWritten);
        Assert.Equal(0, second.BlobsDeleted);
        Assert.Equal(merged.Count, second.BlobsUnchanged);
        Assert.Equal(blobsAfterFirst, await BlobStatesAsync(context, GraphCountStore.TotalsBlobPrefix));

        // Shard 3 is re-uploaded with far fewer records, of one document type only: nodes, edges and a type vanish.
        var smaller = SyntheticRecords.Generate(200, seed: 11).Where(r => r.DocumentType == "novel").ToList();
        await store.MergeShardAsync(ShardKey(3), "v2", GraphSet.Build(smaller), default);
        var third = await store.CompactAsync(default);
        var expected = GraphSet.Build(Shards.Take(3).SelectMany(s => s).Concat(smaller));

        Assert.NotEqual(first.ContentHash, third.ContentHash);
        Assert.True(third.BlobsDeleted > 0);
        Assert.Equal(third.BlobsWritten, third.BlobsDeleted); // every changed type replaced its blob; no type vanished entirely here
        Assert.True((await store.ReadTotalsAsync(default)).ContentEquals(expected));
        Assert.True((await store.ReadTotalsAsync(default)).ContentEquals(await store.ReadMergedAsync(default)));
        Assert.Equal(expected.Count, (await context.BlobNamesAsync(GraphCountStore.TotalsBlobPrefix)).Count);
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("truncated")]
    [InlineData("replaced")]
    public async Task Totals_whose_blob_is_torn_are_refused_and_compacting_again_repairs_them(string damage)
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        await store.MergeShardAsync(ShardKey(0), "v1", GraphSet.Build(Shards[0]), default);
        await store.CompactAsync(default);

        var container = await store.ContainerAsync(default);
        var victim = container.GetBlobClient((await context.BlobNamesAsync(GraphCountStore.TotalsBlobPrefix))[0]);
        await DamageAsync(victim, damage, GraphSet.Build(Shards[1]).Graphs.First().ToDto());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReadTotalsAsync(default));
        Assert.Contains("compaction again", error.Message, StringComparison.Ordinal);

        var repair = await store.CompactAsync(default);
        Assert.Equal(1, repair.BlobsWritten);
        Assert.True((await store.ReadTotalsAsync(default)).ContentEquals(GraphSet.Build(Shards[0])));
    }

    [Fact]
    public async Task Totals_are_refused_when_the_marker_does_not_match_them()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        await store.MergeShardAsync(ShardKey(0), "v1", GraphSet.Build(Shards[0]), default);
        await store.CompactAsync(default);

        var table = context.Service.GetTableClient(context.Options.Tables.Graph);
        var marker = (await table.GetEntityAsync<TableEntity>(GraphCountStore.TotalsMarkerPartition, GraphCountStore.TotalsMarkerRow)).Value;
        var hash = marker.GetString("ContentHash");
        marker["ContentHash"] = new string('0', hash.Length);
        await table.UpsertEntityAsync(marker, TableUpdateMode.Replace);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReadTotalsAsync(default));

        // A marker that is not a complete one of the blob layout (an interrupted or earlier-layout compaction).
        marker["ContentHash"] = hash;
        marker["State"] = "compacting";
        await table.UpsertEntityAsync(marker, TableUpdateMode.Replace);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReadTotalsAsync(default));

        await store.CompactAsync(default);
        Assert.True((await store.ReadTotalsAsync(default)).ContentEquals(GraphSet.Build(Shards[0])));
    }

    [Fact]
    public async Task Contributions_and_totals_of_the_earlier_row_layout_are_read_and_moved_to_blobs()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        var legacy = GraphSet.Build(Shards[0]);
        await store.MergeShardAsync(ShardKey(1), "v1", GraphSet.Build(Shards[1]), default);
        var table = context.Service.GetTableClient(context.Options.Tables.GraphShards);
        var rows = await WriteLegacyContributionAsync(table, ShardKey(0), "v1", legacy);
        var totals = context.Service.GetTableClient(context.Options.Tables.Graph);
        await totals.CreateIfNotExistsAsync();
        await totals.UpsertEntityAsync(new TableEntity("novel", "n|x") { ["Field"] = "f", ["Value"] = "x", ["Count"] = 1L });
        await totals.UpsertEntityAsync(new TableEntity(GraphCountStore.TotalsMarkerPartition, GraphCountStore.TotalsMarkerRow) { ["State"] = "complete", ["ContentHash"] = "old" });

        // Read as they are: the old contribution counts; the old totals are refused until compacted again.
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(GraphSet.Build(Shards[0].Concat(Shards[1]))));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReadTotalsAsync(default));

        var compaction = await store.CompactAsync(default);
        Assert.Equal(1, compaction.LegacyRowsDeleted);
        Assert.True((await store.ReadTotalsAsync(default)).ContentEquals(GraphSet.Build(Shards[0].Concat(Shards[1]))));

        // Re-merging the old shard stores it as a blob and deletes its rows.
        var moved = await store.MergeShardAsync(ShardKey(0), "v1", legacy, default);
        Assert.Equal(rows, moved.StaleDeleted);
        Assert.All(await context.RowsAsync(context.Options.Tables.GraphShards), r => Assert.Equal(GraphCountStore.LedgerPartition, r.Partition));
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(GraphSet.Build(Shards[0].Concat(Shards[1]))));
    }

    [Fact]
    public async Task Document_types_fields_and_values_with_characters_illegal_in_keys_round_trip()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        var longValue = string.Concat(Enumerable.Repeat("long value ✓/#?\\ ", 130)); // > 2 KB
        string[] types = ["legal/contract#1?", "back\\slash", "日本語の契約 ✓", "tab\tand\u0001control\u007f", "~ledger", "%41", new string('t', 400), "a|b"];
        var records = new List<MetaInfoRecord>();
        for (var i = 0; i < 40; i++)
        {
            records.Add(new MetaInfoRecord($"q{i}", types[i % types.Length], new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
            {
                ["field/with#odd?chars\\"] = [$"value {i % 3} / # ? \\", "😀 emoji"],
                ["plain"] = [i % 2 == 0 ? longValue : "short\u0002"],
                ["multi"] = ["A", "a", "a\u0000b", "a\u0000"],
            }));
        }

        var counts = GraphSet.Build(records);
        await store.MergeShardAsync("shard/with#odd?key\\ ✓", "version/#?\\ \u0001 ✓", counts, default);

        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(counts));
        await store.CompactAsync(default);
        Assert.True((await store.ReadTotalsAsync(default)).ContentEquals(counts));
        Assert.Equal("shard/with#odd?key\\ ✓", (await store.ListShardsAsync(default)).Single().ShardKey);
    }

    [Fact]
    public async Task A_thousand_record_shard_merges_into_one_blob_with_every_entry_and_reads_back_equal()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        var records = SyntheticRecords.Generate(1000, seed: 3);
        var counts = GraphSet.Build(records);

        var result = await store.MergeShardAsync("bench/shard-0", "v1", counts, default);

        Assert.True(result.BlobWritten);
        Assert.Equal(ExpectedEntryCount(counts), result.EntryCount);
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(counts));
        output.WriteLine($"Merged {records.Count} records ({result.EntryCount} entries, a {result.BlobBytes}-byte blob)");
    }

    /// <summary>Record-count entry, nodes, edges, shape bins and record signatures.</summary>
    private static long ExpectedEntryCount(GraphSet set) => set.Graphs.Sum(g => 1L + g.NodeCount + g.EdgeCount + g.Shape.ToBins().Count + g.Signatures.Count);

    /// <summary>(name, ETag) of every blob under a prefix: equal lists mean nothing was rewritten.</summary>
    private static async Task<List<(string Name, string ETag)>> BlobStatesAsync(TableTestContext context, string prefix)
    {
        var container = context.Blobs.GetBlobContainerClient(context.Options.Containers.MetaInfo);
        var states = new List<(string, string)>();
        await foreach (var item in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }))
        {
            states.Add((item.Name, item.Properties.ETag!.Value.ToString()));
        }

        return states.OrderBy(s => s.Item1, StringComparer.Ordinal).ToList();
    }

    /// <summary>Tears a graph blob: deletes it, cuts it in half, or replaces it with another graph's valid blob.</summary>
    private static async Task DamageAsync<T>(BlobClient blob, string damage, T otherDto)
    {
        switch (damage)
        {
            case "deleted":
                await blob.DeleteAsync();
                break;
            case "truncated":
                var bytes = (await blob.DownloadContentAsync()).Value.Content.ToArray();
                await blob.UploadAsync(BinaryData.FromBytes(bytes[..(bytes.Length / 2)]), overwrite: true);
                break;
            default:
                await blob.UploadAsync(BinaryData.FromBytes(GraphBlobCodec.Encode(otherDto).Content), overwrite: true);
                break;
        }
    }

    /// <summary>
    /// Writes a contribution as the earlier layout did (one row per entry under <c>{shardId}|{version}|</c>, a ledger
    /// row with RowCount and no content hash); returns its row count.
    /// </summary>
    private static async Task<long> WriteLegacyContributionAsync(TableClient table, string shardKey, string version, GraphSet counts)
    {
        await table.CreateIfNotExistsAsync();
        var shardId = GraphCountStore.ShardIdOf(shardKey);
        var prefix = $"{shardId}|{TableKeys.Encode(version, 96)}|";
        long rows = 0;
        foreach (var graph in counts.Graphs)
        {
            var partition = GraphCountStore.PartitionOf(graph.DocumentType);
            var entities = new List<TableEntity> { new(partition, prefix + "r") { ["DocumentType"] = graph.DocumentType, ["RecordCount"] = graph.RecordCount } };
            entities.AddRange(graph.Nodes.Select(n => new TableEntity(partition, prefix + "n|" + TableKeys.Hash128(n.Field, n.Value)) { ["Field"] = n.Field, ["Value"] = n.Value, ["Count"] = n.Count }));
            entities.AddRange(graph.Edges.Select(e => new TableEntity(partition, prefix + "e|" + TableKeys.Hash128(e.FieldA, e.ValueA, e.FieldB, e.ValueB))
            {
                ["FieldA"] = e.FieldA, ["ValueA"] = e.ValueA, ["FieldB"] = e.FieldB, ["ValueB"] = e.ValueB, ["Count"] = e.Count,
            }));
            foreach (var bin in graph.Shape.ToBins())
            {
                entities.Add(new TableEntity(partition, prefix + "h|" + TableKeys.Hash128(bin.Field, bin.Values.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    ["Field"] = bin.Field, ["Values"] = bin.Values, ["Count"] = bin.Count,
                });
            }

            foreach (var signature in graph.Signatures.ToRows())
            {
                var nodes = string.Join(' ', signature.Nodes);
                entities.Add(new TableEntity(partition, prefix + "s|" + TableKeys.Hash128(nodes)) { ["Nodes"] = nodes, ["Count"] = signature.Count });
            }

            foreach (var entity in entities)
            {
                await table.UpsertEntityAsync(entity);
            }

            rows += entities.Count;
        }

        var ledger = new TableEntity(GraphCountStore.LedgerPartition, shardId)
        {
            ["ShardKey"] = shardKey,
            ["Version"] = version,
            ["RowCount"] = rows,
            ["DocumentTypes"] = System.Text.Json.JsonSerializer.Serialize(counts.DocumentTypes),
        };
        await table.UpsertEntityAsync(ledger);
        return rows;
    }
}
