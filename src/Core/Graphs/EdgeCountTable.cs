using System.Buffers;
using System.Runtime.InteropServices;

namespace WildLong.Core.Graphs;

/// <summary>
/// Edge counts keyed by packed (scrambled) node-id pairs, held in 256 <see cref="Dictionary{TKey, TValue}"/> shards
/// chosen by the key's top bits, with increments buffered and applied shard by shard.
/// </summary>
/// <remarks>
/// Why: one dictionary of millions of edges turns every increment into cache and TLB misses — measured here at
/// ~600 ns per update with 3M keys against ~35 ns with 30K keys. Buffering the keys of many records and applying them
/// grouped by shard keeps each burst of updates inside one small, cache-resident dictionary.
/// The buffer is applied before any read. Writes are not thread-safe (one table per builder); once writing is over,
/// concurrent reads are.
/// </remarks>
internal sealed class EdgeCountTable
{
    private const int ShardBits = 8;
    private const int ShardCount = 1 << ShardBits;
    private const int MaxPending = 1 << 21;

    private readonly Dictionary<ulong, long>?[] shards = new Dictionary<ulong, long>?[ShardCount];
    private ulong[] pending = new ulong[1024];
    private readonly Lock gate = new();
    private int pendingCount;

    public int Count
    {
        get
        {
            Flush();
            var count = 0;
            foreach (var shard in shards)
            {
                count += shard?.Count ?? 0;
            }

            return count;
        }
    }

    /// <summary>Room for <paramref name="needed"/> buffered increments (applying the buffer if it is full).</summary>
    public Span<ulong> Reserve(int needed)
    {
        if (pendingCount + needed > pending.Length)
        {
            Flush();
            if (pending.Length < MaxPending || needed > pending.Length)
            {
                pending = new ulong[Math.Max(needed, Math.Min(MaxPending, pending.Length * 4))];
            }
        }

        return pending.AsSpan(pendingCount, needed);
    }

    /// <summary>Marks <paramref name="count"/> reserved slots as filled.</summary>
    public void Commit(int count) => pendingCount += count;

    /// <summary>A reference to the count of <paramref name="key"/>, created as 0 when absent.</summary>
    public ref long GetRef(ulong key)
    {
        Flush();
        var shard = shards[ShardOf(key)] ??= [];
        return ref CollectionsMarshal.GetValueRefOrAddDefault(shard, key, out _);
    }

    public bool TryGetValue(ulong key, out long count)
    {
        Flush();
        count = 0;
        return shards[ShardOf(key)]?.TryGetValue(key, out count) == true;
    }

    public IEnumerable<KeyValuePair<ulong, long>> Entries()
    {
        Flush();
        foreach (var shard in shards)
        {
            if (shard is null)
            {
                continue;
            }

            foreach (var entry in shard)
            {
                yield return entry;
            }
        }
    }

    /// <summary>Applies buffered increments, grouped by shard (counting sort on the shard number).</summary>
    public void Flush()
    {
        if (Volatile.Read(ref pendingCount) == 0)
        {
            return;
        }

        // Readers may share a finished graph across threads; the first one applies the buffer, the others wait.
        lock (gate)
        {
            if (pendingCount != 0)
            {
                ApplyPending();
                Volatile.Write(ref pendingCount, 0);
            }
        }
    }

    private void ApplyPending()
    {

        Span<int> start = stackalloc int[ShardCount + 1];
        start.Clear();
        var keys = pending.AsSpan(0, pendingCount);
        foreach (var key in keys)
        {
            start[ShardOf(key) + 1]++;
        }

        for (var s = 0; s < ShardCount; s++)
        {
            start[s + 1] += start[s];
        }

        var sorted = ArrayPool<ulong>.Shared.Rent(keys.Length);
        try
        {
            Span<int> fill = stackalloc int[ShardCount];
            start[..ShardCount].CopyTo(fill);
            foreach (var key in keys)
            {
                sorted[fill[ShardOf(key)]++] = key;
            }

            for (var s = 0; s < ShardCount; s++)
            {
                if (start[s + 1] == start[s])
                {
                    continue;
                }

                var shard = shards[s] ??= [];
                for (var i = start[s]; i < start[s + 1]; i++)
                {
                    ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(shard, sorted[i], out _);
                    count++;
                }
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(sorted);
        }
    }

    private static int ShardOf(ulong key) => (int)(key >> (64 - ShardBits));
}
