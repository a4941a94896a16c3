using System.Buffers;
using System.Runtime.CompilerServices;

namespace WildLong.Core.Graphs;

/// <summary>
/// Edge counts keyed by packed node-id pairs: an open-addressing hash table with linear probing, power-of-two
/// capacity, built for the one hot operation of a graph build — "add 1 to this pair" a hundred million times.
/// </summary>
/// <remarks>
/// <para>Why not <see cref="Dictionary{TKey, TValue}"/>: it chains through a separate entries array (two dependent
/// cache misses per update), allocates on every resize of every shard, and its hash of a ulong is high ^ low, which
/// collides for packed id pairs. Here a slot is one 16-byte (key, count) pair, so an update costs one cache line.</para>
/// <para>Keys are stored mixed: <see cref="Mix"/> is a bijection (murmur3's finalizer), so the stored key both spreads
/// over the table (the slot is its top bits — no rehash on resize, just a different shift) and gives back the packed
/// pair exactly through <see cref="Unmix"/>. Packed pairs are never 0 (an edge joins two different ids), and
/// Mix(0) = 0, so 0 marks an empty slot.</para>
/// <para>Increments from <see cref="Reserve"/>/<see cref="Commit"/> are buffered; when the table is larger than the
/// caches the buffer is applied grouped by the slot's top bits (a counting sort), so each burst of updates stays in a
/// cache-sized window of the table instead of missing on every update. The buffer is applied before any read.
/// Writes are not thread-safe (one table per builder); once writing is over, concurrent reads are.</para>
/// </remarks>
internal sealed unsafe class EdgeCountTable
{
    /// <summary>Tables up to this many slots (4 MB) are updated directly; larger ones in partitioned bursts.</summary>
    private const int DirectApplyMaxSlots = 1 << 18;

    /// <summary>Each burst covers about this many slots (512 KB, inside L2).</summary>
    private const int WindowBits = 15;

    private const int MaxPending = 1 << 20;
    private const int MinCapacityBits = 4;

    private readonly Lock gate = new();
    private NativeZeroedBlock block = new((nuint)(sizeof(Slot) << MinCapacityBits));
    private int capacity = 1 << MinCapacityBits;
    private int shift = 64 - MinCapacityBits;
    private int count;
    private int growAt = GrowThreshold(1 << MinCapacityBits);
    private ulong[] pending = new ulong[1024];
    private int pendingCount;

    public int Count
    {
        get
        {
            Flush();
            return count;
        }
    }

    /// <summary>Number of slots (for <see cref="GetSlot"/>); includes empty ones.</summary>
    public int Capacity
    {
        get
        {
            Flush();
            return capacity;
        }
    }

    /// <summary>Room for <paramref name="needed"/> buffered increments (applying the buffer if it is full).</summary>
    public Span<ulong> Reserve(int needed)
    {
        if (pendingCount + needed > pending.Length)
        {
            Flush();
            // A larger table earns a larger buffer (more updates per window), up to an eighth of its slots: see
            // ApplyPending for why the buffer must stay small relative to the table.
            var target = Math.Min(MaxPending, capacity / 8);
            if (needed > pending.Length || pending.Length < target)
            {
                pending = new ulong[Math.Max(needed, Math.Max(pending.Length, target))];
            }
        }

        return pending.AsSpan(pendingCount, needed);
    }

    /// <summary>Marks <paramref name="filled"/> reserved slots as filled.</summary>
    public void Commit(int filled) => pendingCount += filled;

    /// <summary>Makes room for at least <paramref name="entries"/> entries without further resizing.</summary>
    public void EnsureCapacity(int entries)
    {
        Flush();
        EnsureCapacityCore(entries);
    }

    private void EnsureCapacityCore(int entries)
    {
        var bits = MinCapacityBits;
        while (GrowThreshold(1 << bits) < entries)
        {
            bits++;
        }

        if ((1 << bits) > capacity)
        {
            Resize(bits);
        }
    }

    /// <summary>A reference to the count of <paramref name="packed"/>, created as 0 when absent.</summary>
    public ref long GetRef(ulong packed)
    {
        Flush();
        return ref Find(Mix(packed));
    }

    public bool TryGetValue(ulong packed, out long value)
    {
        Flush();
        var key = Mix(packed);
        var slots = Slots;
        var mask = slots.Length - 1;
        for (var i = (int)(key >> shift); ; i = (i + 1) & mask)
        {
            var slotKey = slots[i].Key;
            if (slotKey == key)
            {
                value = slots[i].Count;
                GC.KeepAlive(this);
                return true;
            }

            if (slotKey == 0)
            {
                value = 0;
                GC.KeepAlive(this);
                return false;
            }
        }
    }

    /// <summary>The entry in slot <paramref name="index"/> (0 ≤ index &lt; <see cref="Capacity"/>); false when empty.</summary>
    /// <remarks>Raw access for bulk readers (the sampling index) that walk the table once without an enumerator.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool GetSlot(int index, out ulong packed, out long value)
    {
        var slot = Slots[index];
        GC.KeepAlive(this);
        packed = Unmix(slot.Key);
        value = slot.Count;
        return slot.Key != 0;
    }

    public IEnumerable<KeyValuePair<ulong, long>> Entries()
    {
        Flush();
        for (var i = 0; i < capacity; i++)
        {
            var slot = Slots[i];
            if (slot.Key != 0)
            {
                yield return new KeyValuePair<ulong, long>(Unmix(slot.Key), slot.Count);
            }
        }
    }

    /// <summary>Applies buffered increments.</summary>
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

    /// <summary>Murmur3's 64-bit finalizer: a bijection with full avalanche (every input bit affects the top bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Mix(ulong x)
    {
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        x *= 0xC4CEB9FE1A85EC53UL;
        x ^= x >> 33;
        return x;
    }

    /// <summary>The inverse of <see cref="Mix"/> (x ^= x &gt;&gt; 33 is its own inverse; the multipliers are odd).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Unmix(ulong x)
    {
        x ^= x >> 33;
        x *= 0x9CB4B2F8129337DBUL; // inverse of 0xC4CEB9FE1A85EC53 mod 2^64
        x ^= x >> 33;
        x *= 0x4F74430C22A54005UL; // inverse of 0xFF51AFD7ED558CCD mod 2^64
        x ^= x >> 33;
        return x;
    }

    private static int GrowThreshold(int capacity) => (int)(capacity * 0.7);

    private void ApplyPending()
    {
        var keys = pending.AsSpan(0, pendingCount);
        if (capacity <= DirectApplyMaxSlots || keys.Length < 4096)
        {
            foreach (var packed in keys)
            {
                Find(Mix(packed))++;
            }

            return;
        }

        // Counting sort of the mixed keys by their top bits: the table is then swept window by window.
        // Keys arrive sorted by home slot, so the swept part of the table receives all of its new keys at once while
        // the global count (which triggers growth) lags behind. That is why the buffer is capped at an eighth of the
        // table: the swept part then runs at most 0.125 above the load limit until the next resize. Uncapped (a 1M
        // buffer into a 512K-slot table) the front of the table overfilled into one giant cluster — measured at
        // thousands of probes per insert.
        var bits = Math.Min(12, (64 - shift) - WindowBits);
        var bucketShift = 64 - bits;
        var start = ArrayPool<int>.Shared.Rent((1 << bits) + 1);
        var sorted = ArrayPool<ulong>.Shared.Rent(keys.Length);
        try
        {
            var offsets = start.AsSpan(0, (1 << bits) + 1);
            offsets.Clear();
            foreach (var packed in keys)
            {
                offsets[(int)(Mix(packed) >> bucketShift) + 1]++;
            }

            for (var b = 1; b < offsets.Length; b++)
            {
                offsets[b] += offsets[b - 1];
            }

            foreach (var packed in keys)
            {
                var key = Mix(packed);
                sorted[offsets[(int)(key >> bucketShift)]++] = key;
            }

            foreach (var key in sorted.AsSpan(0, keys.Length))
            {
                Find(key)++;
            }
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(sorted);
            ArrayPool<int>.Shared.Return(start);
        }
    }

    /// <summary>The count slot of a mixed key, inserted as 0 when absent (growing the table first if needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref long Find(ulong key)
    {
        var table = Slots;
        var mask = table.Length - 1;
        var i = (int)(key >> shift);
        while (true)
        {
            ref var slot = ref table[i];
            if (slot.Key == key)
            {
                return ref slot.Count;
            }

            if (slot.Key == 0)
            {
                if (count >= growAt)
                {
                    Resize(BitLength(table.Length));
                    return ref Find(key);
                }

                slot.Key = key;
                count++;
                return ref slot.Count;
            }

            i = (i + 1) & mask;
        }
    }

    private static int BitLength(int powerOfTwo) => System.Numerics.BitOperations.Log2((uint)powerOfTwo) + 1;

    private void Resize(int bits)
    {
        var oldBlock = block;
        var old = Slots;
        var newBlock = new NativeZeroedBlock((nuint)sizeof(Slot) << bits);
        var table = new Span<Slot>(newBlock.Pointer, 1 << bits);
        var newShift = 64 - bits;
        var mask = table.Length - 1;

        // Old slots are visited in order of their home slot (modulo wrap-around), so re-insertion walks the new table
        // almost sequentially.
        foreach (var slot in old)
        {
            if (slot.Key == 0)
            {
                continue;
            }

            var i = (int)(slot.Key >> newShift);
            while (table[i].Key != 0)
            {
                i = (i + 1) & mask;
            }

            table[i] = slot;
        }

        block = newBlock;
        capacity = table.Length;
        oldBlock.Release();
        shift = newShift;
        growAt = GrowThreshold(table.Length);
    }

    /// <summary>The table's slots, in native memory (see <see cref="NativeZeroedBlock"/> for why).</summary>
    private Span<Slot> Slots => new(block.Pointer, capacity);

    private struct Slot
    {
        public ulong Key;
        public long Count;
    }
}
