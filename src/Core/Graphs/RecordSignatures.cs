using System.Buffers;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace WildLong.Core.Graphs;

/// <summary>
/// Which value sets real records hold, kept so that "does any single record contain this path?" can be answered for
/// the recombination rate: a graph's node and edge counts cannot tell (two edges of count 1 may come from different
/// records). Each distinct set is a fingerprint (the sorted 64-bit hashes of its nodes) with a record count.
/// </summary>
/// <remarks>
/// <para>Why fingerprints: a record's value set costs 8 bytes per value, less than its edges in the graph
/// (n(n-1)/2 of them), and identical sets share one entry. They add up exactly across shards.</para>
/// <para>Bounded: at most <see cref="Limit"/> distinct sets are kept — the ones whose fingerprint hash is smallest (a
/// bottom-k sample). A bottom-k sample of a union is the bottom-k of the shards' bottom-k samples, so merging stays
/// exact and independent of order; beyond the limit <see cref="Truncated"/> is set and the recombination rate is
/// computed over a uniform sample of the distinct sets (an upper bound). A limit of 0 keeps nothing.</para>
/// <para>The sets' node hashes live end to end in native memory (<see cref="SignatureNodeStore"/>), compacted at
/// every trim; the table holds each set's fingerprint, place in that store and record count.</para>
/// </remarks>
public sealed class RecordSignatures
{
    /// <summary>The default bound on distinct value sets kept per document type.</summary>
    public const int DefaultLimit = 100_000;

    private readonly Dictionary<ulong, Slot> entries = [];
    private SignatureNodeStore nodes = new();
    private ulong threshold = ulong.MaxValue;
    private bool truncated;

    public RecordSignatures(int limit = DefaultLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Limit = limit;
    }

    /// <summary>The most distinct value sets kept.</summary>
    public int Limit { get; }

    /// <summary>True when some value sets were dropped (more distinct sets than <see cref="Limit"/>).</summary>
    public bool Truncated
    {
        get
        {
            Trim(Limit);
            return truncated;
        }
    }

    /// <summary>Distinct value sets kept.</summary>
    public int Count
    {
        get
        {
            Trim(Limit);
            return entries.Count;
        }
    }

    /// <summary>The hash a node contributes to a fingerprint: XxHash64 of "field\u001Fvalue" in UTF-8.</summary>
    public static ulong NodeHash(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(value);

        // Encoded into a stack buffer (a pooled one for long values): a graph build hashes every new node.
        var length = Encoding.UTF8.GetMaxByteCount(field.Length + 1 + value.Length);
        byte[]? rented = null;
        var buffer = length <= 512 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(field, buffer);
            buffer[written++] = 0x1F;
            written += Encoding.UTF8.GetBytes(value, buffer[written..]);
            return XxHash64.HashToUInt64(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The kept value sets as (sorted node hashes, records), ordered by fingerprint.</summary>
    public IEnumerable<(ulong[] Nodes, long Count)> Entries()
    {
        Trim(Limit);
        nodes.ReportPressure();
        foreach (var key in entries.Keys.Order())
        {
            var slot = entries[key];
            yield return (nodes.Get(slot.Offset, slot.Length).ToArray(), slot.Count);
        }
    }

    /// <summary>Counts <paramref name="count"/> records holding the node set <paramref name="nodes"/> (any order, duplicates ignored).</summary>
    public void Add(ReadOnlySpan<ulong> nodes, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        if (Limit == 0)
        {
            truncated = true;
            return;
        }

        ulong[]? rented = null;
        Span<ulong> sorted = nodes.Length <= 64 ? stackalloc ulong[nodes.Length] : (rented = ArrayPool<ulong>.Shared.Rent(nodes.Length)).AsSpan(0, nodes.Length);
        nodes.CopyTo(sorted);
        sorted.Sort();
        var length = 0;
        for (var i = 0; i < sorted.Length; i++)
        {
            if (i == 0 || sorted[i] != sorted[i - 1])
            {
                sorted[length++] = sorted[i];
            }
        }

        AddSorted(sorted[..length], count);
        if (rented is not null)
        {
            ArrayPool<ulong>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Makes room for <paramref name="sets"/> distinct value sets (at most what is kept between two trims), so a
    /// build that knows how many records it will add does not grow the table by doubling.
    /// </summary>
    internal void EnsureCapacity(long sets)
    {
        if (Limit > 0)
        {
            entries.EnsureCapacity((int)Math.Min(Math.Max(0, sets), TrimAbove + 1));
        }
    }

    /// <summary>Adds one row (as read back from a DTO or a table).</summary>
    public void Add(GraphRecordSignature row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var nodes = (row.Nodes ?? []).Select(ParseHash).ToArray();
        Add(nodes, row.Count);
    }

    /// <summary>Adds another set's counts (its truncation carries over). Order and grouping do not matter.</summary>
    public void Merge(RecordSignatures other)
    {
        ArgumentNullException.ThrowIfNull(other);
        truncated |= other.Truncated;
        if (ReferenceEquals(other, this) || Limit == 0)
        {
            foreach (var (set, count) in other.Entries().ToList())
            {
                Add(set, count);
            }

            return;
        }

        // Sets are stored sorted and distinct: added as they are, without a copy.
        foreach (var (_, slot) in other.entries)
        {
            AddSorted(other.nodes.Get(slot.Offset, slot.Length), slot.Count);
        }

        GC.KeepAlive(other);
    }

    /// <summary>A copy whose node hashes are replaced by <paramref name="map"/> (sets that become equal merge).</summary>
    public RecordSignatures Remap(Func<ulong, ulong> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var result = new RecordSignatures(Limit) { truncated = Truncated };
        foreach (var (nodes, count) in Entries())
        {
            result.Add(nodes.Select(map).ToArray(), count);
        }

        return result;
    }

    public RecordSignatures Clone()
    {
        var copy = new RecordSignatures(Limit);
        copy.Merge(this);
        return copy;
    }

    /// <summary>The rows, ordered by fingerprint.</summary>
    public IReadOnlyList<GraphRecordSignature> ToRows()
        => Entries().Select(e => new GraphRecordSignature(e.Nodes.Select(FormatHash).ToList(), e.Count)).ToList();

    public bool ContentEquals(RecordSignatures? other)
    {
        if (other is null || other.Truncated != Truncated || other.Count != Count)
        {
            return false;
        }

        return Entries().Zip(other.Entries()).All(p => p.First.Count == p.Second.Count && p.First.Nodes.AsSpan().SequenceEqual(p.Second.Nodes));
    }

    public static string FormatHash(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);

    /// <exception cref="FormatException">The text is not 16 hex digits.</exception>
    public static ulong ParseHash(string text)
        => text is { Length: 16 } && ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hash)
            ? hash
            : throw new FormatException($"'{text}' is not a 16-digit hexadecimal node hash.");

    /// <summary>Records that value sets were dropped elsewhere (e.g. a stored graph that was truncated when written).</summary>
    public void MarkTruncated() => truncated = true;

    /// <summary>Distinct sets held before the smallest <see cref="Limit"/> are kept and the rest dropped.</summary>
    private long TrimAbove => Math.Max(1024, Limit * 2L);

    /// <summary>Counts a set that is sorted and has no duplicates.</summary>
    private void AddSorted(ReadOnlySpan<ulong> sorted, long count)
    {
        var key = XxHash64.HashToUInt64(MemoryMarshal.AsBytes(sorted));
        if (key > threshold)
        {
            return;
        }

        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(entries, key, out var exists);
        if (!exists)
        {
            slot.Offset = nodes.Append(sorted);
            slot.Length = sorted.Length;
        }

        slot.Count += count;
        if (entries.Count > TrimAbove)
        {
            Trim(Limit);
        }
    }

    /// <summary>Keeps the <paramref name="keep"/> smallest fingerprints, and their nodes in a compacted store.</summary>
    private void Trim(int keep)
    {
        if (entries.Count <= keep)
        {
            return;
        }

        var count = entries.Count;
        var keys = ArrayPool<ulong>.Shared.Rent(count);
        try
        {
            entries.Keys.CopyTo(keys, 0);
            Array.Sort(keys, 0, count);
            for (var i = keep; i < count; i++)
            {
                entries.Remove(keys[i]);
            }

            threshold = keep > 0 ? keys[keep - 1] : 0;
            truncated = true;

            // The dropped sets' nodes stay in the store until it is compacted: now, into a store with room to grow
            // back to the next trim.
            long used = 0;
            for (var i = 0; i < keep; i++)
            {
                used += entries[keys[i]].Length;
            }

            var compacted = new SignatureNodeStore(used * 2);
            for (var i = 0; i < keep; i++)
            {
                ref var slot = ref CollectionsMarshal.GetValueRefOrNullRef(entries, keys[i]);
                slot.Offset = compacted.Append(nodes.Get(slot.Offset, slot.Length));
            }

            if (nodes.ReportsPressure)
            {
                compacted.ReportPressure();
            }

            nodes.Release();
            nodes = compacted;
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(keys);
        }
    }

    /// <summary>A kept set: where its node hashes are in the store, and how many records held it.</summary>
    private struct Slot
    {
        public long Offset;
        public long Count;
        public int Length;
    }
}
