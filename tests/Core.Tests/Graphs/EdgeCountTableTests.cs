using WildLong.Core.Common;
using WildLong.Core.Graphs;

namespace WildLong.Core.Tests.Graphs;

public class EdgeCountTableTests
{
    /// <summary>
    /// Enough distinct pairs to grow the table past every threshold it changes behaviour at — several resizes, the
    /// partitioned (counting-sorted) apply of buffered increments beyond 2^18 slots, and native blocks of 2 MB and
    /// more — and every count must still equal a plain dictionary's.
    /// </summary>
    [Fact]
    public void Buffered_increments_equal_dictionary_counts_across_resizes_and_large_tables()
    {
        var table = new EdgeCountTable();
        var expected = new Dictionary<ulong, long>();
        var random = new DeterministicRandom(12);
        for (var burst = 0; burst < 3000; burst++)
        {
            var n = random.NextInt(1, 200);
            var slots = table.Reserve(n);
            for (var k = 0; k < n; k++)
            {
                // Skewed: many repeats of low ids, a long tail of distinct pairs.
                var a = (uint)random.NextInt(1 + random.NextInt(1, 3000));
                var b = a + 1 + (uint)random.NextInt(1 + random.NextInt(1, 3000));
                var packed = ((ulong)a << 32) | b;
                slots[k] = packed;
                expected[packed] = expected.GetValueOrDefault(packed) + 1;
            }

            table.Commit(n);
        }

        Assert.True(table.Capacity > 1 << 18, $"capacity {table.Capacity}: the test must reach the partitioned path");
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

        table.GetRef(((ulong)900_000 << 32) | 900_001) += 5;
        Assert.True(table.TryGetValue(((ulong)900_000 << 32) | 900_001, out var added) && added == 5);
    }
}
