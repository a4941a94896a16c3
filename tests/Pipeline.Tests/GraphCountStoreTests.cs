using System.Diagnostics;
using Azure.Data.Tables;
using WildLong.Core.Graphs;
using WildLong.Core.MetaInfo;
using WildLong.Pipeline.Graphs;
using WildLong.Pipeline.Tests.Support;
using WildLong.Storage.Tests.Support;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests;

/// <summary>
/// GraphCountStore on Azurite: merging shards is exact and idempotent under re-delivery, concurrency, re-uploads and
/// crashes; compaction writes exactly the merged totals and is idempotent.
/// </summary>
[Collection(AzuriteCollection.Name)]
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
            Assert.Equal(0, result.StaleRowsDeleted);
        }

        var expected = GraphSet.Build(AllRecords);
        var merged = await store.ReadMergedAsync(default);
        Assert.True(merged.ContentEquals(expected));
        Assert.Equal(4, merged.Count);
        Assert.Equal(3000, merged.RecordCount);
        var shards = await store.ListShardsAsync(default);
        Assert.Equal(Enumerable.Range(0, 4).Select(ShardKey), shards.Select(s => s.ShardKey));
        Assert.All(shards, s => Assert.Equal("v1", s.Version));
    }

    [Fact]
    public async Task Re_merging_a_shard_with_the_same_version_changes_no_count_and_no_row()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        foreach (var i in Enumerable.Range(0, 4))
        {
            await store.MergeShardAsync(ShardKey(i), "v1", GraphSet.Build(Shards[i]), default);
        }

        var rowsBefore = await context.RowsAsync(context.Options.Tables.GraphShards);
        var first = await store.MergeShardAsync(ShardKey(2), "v1", GraphSet.Build(Shards[2]), default);
        var again = await store.MergeShardAsync(ShardKey(2), "v1", GraphSet.Build(Shards[2]), default);

        Assert.Equal(first.RowsWritten, again.RowsWritten);
        Assert.Equal(0, again.StaleRowsDeleted);
        Assert.Equal(rowsBefore.Where(r => r.Partition != GraphCountStore.LedgerPartition), (await context.RowsAsync(context.Options.Tables.GraphShards)).Where(r => r.Partition != GraphCountStore.LedgerPartition));
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
    }

    [Fact]
    public async Task A_new_version_of_a_shard_replaces_its_old_counts_and_removes_their_rows()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        foreach (var i in Enumerable.Range(0, 4))
        {
            await store.MergeShardAsync(ShardKey(i), "v1", GraphSet.Build(Shards[i]), default);
        }

        var replacement = SyntheticRecords.Generate(600, seed: 99, idPrefix: "r");
        var result = await store.MergeShardAsync(ShardKey(1), "v2", GraphSet.Build(replacement), default);

        Assert.True(result.IsCurrent);
        Assert.True(result.StaleRowsDeleted > 0);
        var expected = GraphSet.Build(Shards[0].Concat(replacement).Concat(Shards[2]).Concat(Shards[3]));
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(expected));
        var shardId = GraphCountStore.ShardIdOf(ShardKey(1));
        var rows = await context.RowsAsync(context.Options.Tables.GraphShards);
        Assert.DoesNotContain(rows, r => r.Row.StartsWith(shardId + "|v1|", StringComparison.Ordinal));
        Assert.Equal(result.RowsWritten, rows.Count(r => r.Row.StartsWith(shardId + "|v2|", StringComparison.Ordinal)));
        Assert.Equal(rows.Count(r => r.Row.StartsWith(shardId + "|", StringComparison.Ordinal)), result.RowsWritten);
        Assert.Equal("v2", (await store.ListShardsAsync(default)).Single(s => s.ShardKey == ShardKey(1)).Version);
    }

    [Fact]
    public async Task A_version_reused_for_other_content_counts_only_the_latest_content()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        await store.MergeShardAsync(ShardKey(0), "v1", GraphSet.Build(Shards[0]), default);

        // The new content lacks a document type the old one had: its old rows must go too.
        var other = SyntheticRecords.Generate(400, seed: 23, idPrefix: "o").Where(r => r.DocumentType != "novel").ToList();
        var result = await store.MergeShardAsync(ShardKey(0), "v1", GraphSet.Build(other), default);

        Assert.True(result.StaleRowsDeleted > 0);
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(GraphSet.Build(other)));
        Assert.Equal(result.RowsWritten, (await context.RowsAsync(context.Options.Tables.GraphShards)).Count(r => r.Partition != GraphCountStore.LedgerPartition));
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

        // Crashes: a new shard's rows without a ledger row, and a new version of a counted shard without its ledger write.
        Assert.True(await store.WriteContributionRowsAsync(ShardKey(3), "v1", GraphSet.Build(Shards[3]), default) > 0);
        await store.WriteContributionRowsAsync(ShardKey(0), "v2", GraphSet.Build(SyntheticRecords.Generate(300, seed: 5)), default);

        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(GraphSet.Build(Shards.Take(3).SelectMany(s => s))));

        // The re-delivered activities complete: shard 3 counts once; shard 0 v1 re-merged, the orphaned v2 rows go.
        await store.MergeShardAsync(ShardKey(3), "v1", GraphSet.Build(Shards[3]), default);
        var repeat = await store.MergeShardAsync(ShardKey(0), "v1", GraphSet.Build(Shards[0]), default);

        Assert.True(repeat.StaleRowsDeleted > 0);
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(GraphSet.Build(AllRecords)));
        var shard0 = GraphCountStore.ShardIdOf(ShardKey(0));
        Assert.DoesNotContain(await context.RowsAsync(context.Options.Tables.GraphShards), r => r.Row.StartsWith(shard0 + "|v2|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_counted_contribution_that_lost_a_row_fails_loudly_and_re_merging_repairs_it()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        foreach (var i in Enumerable.Range(0, 2))
        {
            await store.MergeShardAsync(ShardKey(i), "v1", GraphSet.Build(Shards[i]), default);
        }

        var shardId = GraphCountStore.ShardIdOf(ShardKey(1));
        var victim = (await context.RowsAsync(context.Options.Tables.GraphShards)).First(r => r.Row.StartsWith(shardId + "|v1|e|", StringComparison.Ordinal));
        await context.Service.GetTableClient(context.Options.Tables.GraphShards).DeleteEntityAsync(victim.Partition, victim.Row);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReadMergedAsync(default));
        Assert.Contains(ShardKey(1), error.Message, StringComparison.Ordinal);

        await store.MergeShardAsync(ShardKey(1), "v1", GraphSet.Build(Shards[1]), default);
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(GraphSet.Build(Shards[0].Concat(Shards[1]))));
    }

    [Fact]
    public async Task Compaction_writes_the_merged_totals_is_idempotent_and_removes_vanished_rows()
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
        Assert.Equal(ExpectedRowCount(merged), first.RowsWritten);
        Assert.Equal(merged.Graphs.Select(g => (g.DocumentType, g.RecordCount, g.NodeCount, g.EdgeCount)), first.Types.Select(t => (t.DocumentType, t.RecordCount, t.NodeCount, t.EdgeCount)));
        var rowsAfterFirst = await context.RowsAsync(context.Options.Tables.Graph);

        var second = await store.CompactAsync(default);
        Assert.Equal(first.ContentHash, second.ContentHash);
        Assert.Equal(0, second.RowsWritten);
        Assert.Equal(0, second.RowsDeleted);
        Assert.Equal(first.RowsWritten, second.RowsUnchanged);
        Assert.Equal(rowsAfterFirst, await context.RowsAsync(context.Options.Tables.Graph));

        // Shard 3 is re-uploaded with far fewer records, of one document type only: nodes, edges and a type vanish.
        var smaller = SyntheticRecords.Generate(200, seed: 11).Where(r => r.DocumentType == "novel").ToList();
        await store.MergeShardAsync(ShardKey(3), "v2", GraphSet.Build(smaller), default);
        var third = await store.CompactAsync(default);
        var expected = GraphSet.Build(Shards.Take(3).SelectMany(s => s).Concat(smaller));

        Assert.NotEqual(first.ContentHash, third.ContentHash);
        Assert.True(third.RowsDeleted > 0);
        Assert.True((await store.ReadTotalsAsync(default)).ContentEquals(expected));
        Assert.True((await store.ReadTotalsAsync(default)).ContentEquals(await store.ReadMergedAsync(default)));
        var rows = await context.RowsAsync(context.Options.Tables.Graph);
        Assert.Equal(ExpectedRowCount(expected) + 1, rows.Count); // + the marker row
    }

    [Fact]
    public async Task Totals_are_refused_while_a_compaction_is_unfinished()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        await store.MergeShardAsync(ShardKey(0), "v1", GraphSet.Build(Shards[0]), default);
        await store.CompactAsync(default);

        var table = context.Service.GetTableClient(context.Options.Tables.Graph);
        var marker = (await table.GetEntityAsync<TableEntity>(GraphCountStore.TotalsMarkerPartition, GraphCountStore.TotalsMarkerRow)).Value;
        marker["State"] = "compacting";
        await table.UpsertEntityAsync(marker, TableUpdateMode.Replace);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReadTotalsAsync(default));

        // A torn compaction: marker complete but a row missing.
        marker["State"] = "complete";
        await table.UpsertEntityAsync(marker, TableUpdateMode.Replace);
        var victim = (await context.RowsAsync(context.Options.Tables.Graph)).First(r => r.Row.StartsWith("e|", StringComparison.Ordinal));
        await table.DeleteEntityAsync(victim.Partition, victim.Row);
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.ReadTotalsAsync(default));

        await store.CompactAsync(default);
        Assert.True((await store.ReadTotalsAsync(default)).ContentEquals(GraphSet.Build(Shards[0])));
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
    public async Task Measure_merge_throughput_of_a_thousand_record_shard()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.GraphStore();
        var records = SyntheticRecords.Generate(1000, seed: 3);
        var counts = GraphSet.Build(records);
        await store.ListShardsAsync(default); // create the table outside the measurement

        var watch = Stopwatch.StartNew();
        var result = await store.MergeShardAsync("bench/shard-0", "v1", counts, default);
        watch.Stop();

        Assert.True(result.RowsWritten > 0);
        output.WriteLine($"Merged {records.Count} records as {result.RowsWritten} rows in {watch.Elapsed.TotalSeconds:F2} s: {result.RowsWritten / watch.Elapsed.TotalSeconds:F0} rows/s");
        var read = Stopwatch.StartNew();
        Assert.True((await store.ReadMergedAsync(default)).ContentEquals(counts));
        output.WriteLine($"Read back {result.RowsWritten} rows in {read.Elapsed.TotalSeconds:F2} s");
    }

    /// <summary>Record-count row, nodes, edges, shape bins and record signatures.</summary>
    private static long ExpectedRowCount(GraphSet set) => set.Graphs.Sum(g => 1L + g.NodeCount + g.EdgeCount + g.Shape.ToBins().Count + g.Signatures.Count);
}
