using WildLong.Core.Common;
using WildLong.Core.Graphs;

namespace WildLong.Core.Tests.Graphs;

public class EdgeCountTableTests
{
    /// <summary>
    /// Enough increments to take every path the table has — the sorted count of a large buffer (65,536 increments and
    /// more), a table of more than 2^18 slots in a native block of 2 MB and more, growth by single inserts after it —
    /// and every count must still equal a plain dictionary's.
    /// </summary>
    [Fact]
    public void Buffered_increments_equal_dictionary_counts_across_resizes_and_large_tables()
    {
        var table = new EdgeCountTable();
        var expected = new Dictionary<ulong, long>();
        var random = new DeterministicRandom(12);
        for (var burst = 0; burst < 3000; burst++)
        {
            AddBurst(table, expected, random, maxBurst: 200, spread: 3000);
        }

        Assert.True(table.Capacity > 1 << 18, $"capacity {table.Capacity}: the test must reach a large table");
        Assert.Equal(expected.Count, table.Count);
        Assert.Equal(expected.Count, table.Entries().Count());
        foreach (var (key, count) in table.Entries())
        {
            Assert.Equal(expected[key], count);
        }

        var seen = 0;
        for (var s = 0; s < table.Capacity; s++)
        {
            if (table.GetSlot(s, out var packed, out var count))
            {
                Assert.Equal(expected[packed], count);
                seen++;
            }
        }

        Assert.Equal(expected.Count, seen);
        Assert.True(table.TryGetValue(expected.Keys.First(), out var first) && first == expected[expected.Keys.First()]);
        Assert.False(table.TryGetValue(((ulong)900_000 << 32) | 900_001, out _));

        table.Add(((ulong)900_000 << 32) | 900_001, 5);
        Assert.True(table.TryGetValue(((ulong)900_000 << 32) | 900_001, out var added) && added == 5);
    }

    /// <summary>A count is 32 bits (a slot is 12 bytes): one that would pass 2^32 - 1 is refused, never wrapped.</summary>
    [Fact]
    public void A_count_that_would_pass_32_bits_is_refused_and_left_as_it_was()
    {
        var table = new EdgeCountTable();
        const ulong key = (1UL << 32) | 2;
        table.Add(key, uint.MaxValue - 1);
        table.Add(key, 1);

        var error = Assert.Throws<OverflowException>(() => table.Add(key, 1));

        Assert.Contains("4,294,967,295", error.Message, StringComparison.Ordinal);
        Assert.True(table.TryGetValue(key, out var count) && count == uint.MaxValue);
    }

    /// <summary>
    /// Counting in several flushes — some forced by a full buffer, some by reads between writes — must give the same
    /// counts as one: later flushes add to keys the table holds and insert only the new ones, growing the table for
    /// exactly those; and a pool hands the same buffers from flush to flush.
    /// </summary>
    [Fact]
    public void Counts_from_several_flushes_and_reads_between_writes_equal_dictionary_counts()
    {
        using var pool = new NativeBufferPool();
        var table = new EdgeCountTable(maxPending: 70_000) { Buffers = pool };
        var expected = new Dictionary<ulong, long>();
        var random = new DeterministicRandom(31);
        for (var burst = 0; burst < 4000; burst++)
        {
            AddBurst(table, expected, random, maxBurst: 120, spread: 2000);
            if (burst % 1500 == 1499)
            {
                // A read counts what is buffered (from the second time on, into a table that holds most keys).
                Assert.Equal(expected.Count, table.Count);
            }
        }

        Assert.Equal(expected.Count, table.Count);
        Assert.True(table.Capacity * 0.7 >= table.Count, $"capacity {table.Capacity} for {table.Count} entries");
        foreach (var (key, count) in table.Entries())
        {
            Assert.Equal(expected[key], count);
        }
    }

    /// <summary>Up to <paramref name="maxBurst"/> increments of one record, skewed: many repeats of low ids, a long
    /// tail of distinct pairs.</summary>
    private static void AddBurst(EdgeCountTable table, Dictionary<ulong, long> expected, DeterministicRandom random, int maxBurst, int spread)
    {
        var n = random.NextInt(1, maxBurst);
        var slots = table.Reserve(n);
        for (var k = 0; k < n; k++)
        {
            var a = (uint)random.NextInt(1 + random.NextInt(1, spread));
            var b = a + 1 + (uint)random.NextInt(1 + random.NextInt(1, spread));
            slots[k] = ((ulong)a << 32) | b;
            expected[slots[k]] = expected.GetValueOrDefault(slots[k]) + 1;
        }

        table.Commit(n);
    }

    [Fact]
    public void Sorting_gives_the_mixed_keys_in_ascending_order_and_counts_the_distinct_ones()
    {
        var random = new DeterministicRandom(5);
        var packed = new ulong[200_000];
        for (var i = 0; i < packed.Length; i++)
        {
            // Hot pairs (whole buckets of one key, sorted by the fallback sort) beside a long tail.
            var a = (uint)(i % 7 == 0 ? 1 : random.NextInt(1, 50_000));
            packed[i] = ((ulong)a << 32) | (a + 1 + (uint)(i % 7 == 0 ? 0 : random.NextInt(0, 50)));
        }

        var keys = (ulong[])packed.Clone();
        var distinct = EdgeCountTable.SortMixed(keys);

        var expected = packed.Select(EdgeCountTable.Mix).Order().ToArray();
        Assert.Equal(expected, keys);
        Assert.Equal(expected.Distinct().Count(), distinct);
    }
}
