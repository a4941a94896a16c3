using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WildLong.Core.Graphs;

/// <summary>
/// Edge counts keyed by packed node-id pairs: an open-addressing hash table with linear probing, built for the one
/// hot operation of a graph build — "add 1 to this pair" a hundred million times.
/// </summary>
/// <remarks>
/// <para>Why not <see cref="Dictionary{TKey, TValue}"/>: it chains through a separate entries array (two dependent
/// cache misses per update), allocates on every resize of every shard, and its hash of a ulong is high ^ low, which
/// collides for packed id pairs. Here a slot is one 12-byte (key, count) pair, so an update costs one cache line (two for one slot in eight).</para>
/// <para>Keys are stored mixed: <see cref="Mix"/> is a bijection (murmur3's finalizer), so the stored key both spreads
/// over the table (the home slot comes from its top bits, see <see cref="Home"/>) and gives back the packed
/// pair exactly through <see cref="Unmix"/>. Packed pairs are never 0 (an edge joins two different ids), and
/// Mix(0) = 0, so 0 marks an empty slot.</para>
/// <para>Increments from <see cref="Reserve"/>/<see cref="Commit"/> are buffered (in native memory, up to
/// <see cref="MaxPending"/> of them) and sorted before the table sees them: the buffer is radix-sorted in place by mixed
/// key (<see cref="SortMixed"/>), and each run of equal keys goes into the table as one addition, in slot order — a
/// sequential sweep that touches each cache line of the table once per flush. Adding the increments one by one instead
/// costs a cache miss per increment once the table outgrows the caches (about 100M increments into 36.5M distinct
/// edges in a 1M-record build). Knowing the distinct keys before inserting also sizes the table once, for exactly the
/// keys it will hold, instead of doubling it (each doubling touches fresh memory, the largest cost of a build on a
/// virtual machine: the kernel zeroes every page on first touch). The buffer is applied before any read, and freed
/// by it.
/// Writes are not thread-safe (one table per builder); once writing is over, concurrent reads are.</para>
/// </remarks>
internal sealed unsafe class EdgeCountTable
{
    /// <summary>The most increments buffered before they are counted (256 MB; the largest graph of a 1M-record build
    /// buffers about 28M, so it is counted once, into a table sized once).</summary>
    internal const int MaxPending = 1 << 25;

    /// <summary>Flushes smaller than this are added key by key: too few for sorting them to pay.</summary>
    private const int DirectApplyMax = 1 << 16;

    private const int InitialPending = 1024;

    /// <summary>The first radix pass sorts by this many top bits of the mixed key (256 partitions).</summary>
    private const int PartitionBits = 8;

    /// <summary>The second pass sorts each partition by up to this many further bits (a 256 KB histogram).</summary>
    private const int MaxRefineBits = 16;

    private const int MinCapacity = 16;

    /// <summary>The most entries a table holds per slot before it grows.</summary>
    private const double MaxLoad = 0.7;

    private readonly Lock gate = new();
    private readonly int maxPending;
    private NativeBlock block = new((nuint)(sizeof(Slot) * MinCapacity));
    private int capacity = MinCapacity;
    private int count;
    private int growAt = GrowThreshold(MinCapacity);
    private NativeBlock? pending;
    private int pendingCapacity;
    private int pendingCount;
    private volatile bool pressureReported;

    /// <param name="maxPending">The most increments buffered before they are counted (<see cref="MaxPending"/>; tests
    /// make it small to count in several flushes).</param>
    public EdgeCountTable(int maxPending = MaxPending)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPending);
        this.maxPending = maxPending;
    }

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

    /// <summary>Room for <paramref name="needed"/> buffered increments (counting the buffer first if it is full).</summary>
    public Span<ulong> Reserve(int needed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(needed);
        if (needed == 0)
        {
            return [];
        }

        if ((long)pendingCount + needed > pendingCapacity)
        {
            if ((long)pendingCount + needed > maxPending && pendingCount > 0)
            {
                lock (gate)
                {
                    ApplyPending();
                    Volatile.Write(ref pendingCount, 0);
                }
            }

            if (pendingCount + needed > pendingCapacity)
            {
                GrowPending(pendingCount + needed);
            }
        }

        return new Span<ulong>((ulong*)pending!.Pointer + pendingCount, needed);
    }

    /// <summary>Marks <paramref name="filled"/> reserved slots as filled.</summary>
    public void Commit(int filled) => pendingCount += filled;

    /// <summary>Increments buffered and not yet counted.</summary>
    public int PendingCount => pendingCount;

    /// <summary>
    /// Makes the buffer hold <paramref name="increments"/> (up to the flush limit) at once: a builder that knows how
    /// much is coming spares the buffer its doublings, each a copy into memory touched for the first time.
    /// </summary>
    public void ExpectIncrements(long increments)
    {
        var size = (int)Math.Min(increments, maxPending);
        if (size > pendingCapacity)
        {
            GrowPending(size);
        }
    }

    /// <summary>
    /// Where the increment buffer comes from and goes back to while a builder uses this table (null: allocated and
    /// freed each time). Set only by the thread that writes, and cleared before the table is
    /// shared.
    /// </summary>
    public NativeBufferPool? Buffers { get; set; }

    /// <summary>Makes room for at least <paramref name="entries"/> entries without further resizing.</summary>
    public void EnsureCapacity(int entries)
    {
        Flush();
        EnsureCapacityCore(entries);
    }

    private void EnsureCapacityCore(int entries)
    {
        // Exactly what the entries need, not the next power of two: a table sized once for the keys it will hold
        // touches a third less fresh memory on average.
        var needed = (int)Math.Min(int.MaxValue, Math.Max(MinCapacity, (long)Math.Ceiling(entries / MaxLoad) + 1));
        if (needed > capacity)
        {
            Resize(needed);
        }
    }

    /// <summary>Adds <paramref name="amount"/> to the count of <paramref name="packed"/> (created as 0 when absent).</summary>
    /// <exception cref="OverflowException">The count would pass <see cref="uint.MaxValue"/>.</exception>
    public void Add(ulong packed, long amount)
    {
        Flush();
        Increase(ref Find(Mix(packed)), amount);
    }

    public bool TryGetValue(ulong packed, out long value)
    {
        Flush();
        ref var slot = ref Lookup(Mix(packed));
        var found = !Unsafe.IsNullRef(ref slot);
        value = found ? (long)slot : 0;
        GC.KeepAlive(this);
        return found;
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

    /// <summary>Applies buffered increments and frees their buffer; the table is built (see <see cref="Flush(bool)"/>).</summary>
    public void Flush() => Flush(reportPressure: true);

    /// <summary>
    /// Applies buffered increments and frees their buffer. With <paramref name="reportPressure"/> the table is taken as
    /// built and its memory is reported to the GC (see <see cref="NativeBlock.ReportPressure"/>); every read does that,
    /// while a builder that is done with one graph of many flushes without it.
    /// </summary>
    public void Flush(bool reportPressure)
    {
        if (Volatile.Read(ref pendingCount) == 0 && (pressureReported || !reportPressure))
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

                // A read ends the writing as a rule (a graph is built, then read): the buffer, up to 256 MB, goes now.
                ReturnBuffer(pending!);
                pending = null;
                pendingCapacity = 0;
            }

            if (reportPressure)
            {
                block.ReportPressure();
                pressureReported = true;
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

    private static int GrowThreshold(int capacity) => (int)(capacity * MaxLoad);

    /// <summary>
    /// The home slot of a mixed key: its top 32 bits scaled to the table (Lemire's multiply-shift), so keys in ascending
    /// order have ascending homes in a table of any size — sorted keys go in as a sweep, for any capacity.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Home(ulong key, int capacity) => (int)(((key >> 32) * (uint)capacity) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Next(int slot, int capacity) => slot + 1 == capacity ? 0 : slot + 1;

    private void GrowPending(int atLeast)
    {
        var size = Math.Max(atLeast, Math.Min(maxPending, Math.Max(InitialPending, pendingCapacity * 2)));
        var grown = RentBuffer((nuint)size * sizeof(ulong));
        if (pending is not null)
        {
            new Span<ulong>(pending.Pointer, pendingCount).CopyTo(new Span<ulong>(grown.Pointer, pendingCount));
            ReturnBuffer(pending);
        }

        pending = grown;
        // A pooled block may be larger than asked: use it, but never past the flush limit.
        pendingCapacity = (int)Math.Min((long)(grown.Bytes / sizeof(ulong)), Math.Max(size, maxPending));
    }

    private NativeBlock RentBuffer(nuint bytes) => Buffers?.Rent(bytes) ?? new NativeBlock(bytes, zeroed: false);

    private void ReturnBuffer(NativeBlock buffer)
    {
        if (Buffers is { } pool)
        {
            pool.Return(buffer);
        }
        else
        {
            buffer.Release();
        }
    }

    private void ApplyPending()
    {
        var keys = new Span<ulong>(pending!.Pointer, pendingCount);
        if (keys.Length < DirectApplyMax)
        {
            foreach (var packed in keys)
            {
                Increase(ref Find(Mix(packed)), 1);
            }

            return;
        }

        AddSorted(keys, SortMixed(keys));
        GC.KeepAlive(this);
    }

    /// <summary>
    /// Replaces the packed keys by their mixed values sorted in ascending order (so in slot order for any table size),
    /// in place, and returns how many distinct values they hold.
    /// </summary>
    /// <remarks>Radix sort in two passes: the keys are permuted in place into 256 partitions by their top
    /// <see cref="PartitionBits"/> bits (an American flag sort: no second buffer as large as the keys, whose first
    /// touch would cost as much as the sort), then each partition — about 1/256 of the keys, cache-sized — is
    /// counting-sorted by the next bits through a small scratch buffer and copied back, a handful of keys a bucket,
    /// each bucket then sorted directly.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called a few times a build, each a long loop: no tier-0 pass
    internal static int SortMixed(Span<ulong> keys)
    {
        const int partitions = 1 << PartitionBits;
        const int partitionShift = 64 - PartitionBits;
        Span<int> start = stackalloc int[partitions + 1];
        start.Clear();
        for (var i = 0; i < keys.Length; i++)
        {
            var key = Mix(keys[i]);
            keys[i] = key;
            start[(int)(key >> partitionShift) + 1]++;
        }

        var largest = 0;
        for (var p = 1; p <= partitions; p++)
        {
            largest = Math.Max(largest, start[p]);
            start[p] += start[p - 1];
        }

        // In place: each key not yet in its partition is swapped into the next free place of the partition it belongs
        // to, and the key found there carried on, until one belongs where the cycle started.
        Span<int> next = stackalloc int[partitions];
        start[..partitions].CopyTo(next);
        for (var p = 0; p < partitions; p++)
        {
            var end = start[p + 1];
            while (next[p] < end)
            {
                var key = keys[next[p]];
                var home = (int)(key >> partitionShift);
                while (home != p)
                {
                    ref var slot = ref keys[next[home]++];
                    (key, slot) = (slot, key);
                    home = (int)(key >> partitionShift);
                }

                keys[next[p]++] = key;
            }
        }

        var scratch = ArrayPool<ulong>.Shared.Rent(largest);
        var histogram = ArrayPool<int>.Shared.Rent((1 << MaxRefineBits) + 1);
        try
        {
            var distinct = 0;
            for (var p = 0; p < partitions; p++)
            {
                var size = start[p + 1] - start[p];
                if (size > 0)
                {
                    distinct += SortPartition(keys.Slice(start[p], size), scratch.AsSpan(0, size), histogram);
                }
            }

            return distinct;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(histogram);
            ArrayPool<ulong>.Shared.Return(scratch);
        }
    }

    /// <summary>Sorts one partition (keys sharing their top bits) and returns how many distinct keys it holds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called a few times a build, each a long loop: no tier-0 pass
    private static int SortPartition(Span<ulong> keys, Span<ulong> scratch, int[] histogram)
    {
        // About four keys a bucket: few enough to sort directly, and fewer buckets than keys keep the histogram small.
        var refineBits = Math.Clamp(System.Numerics.BitOperations.Log2((uint)Math.Max(1, keys.Length / 4)), 0, MaxRefineBits);
        var refineShift = 64 - PartitionBits - refineBits;
        var mask = (1 << refineBits) - 1;
        var ends = histogram.AsSpan(0, (1 << refineBits) + 1);
        ends.Clear();
        foreach (var key in keys)
        {
            ends[((int)(key >> refineShift) & mask) + 1]++;
        }

        for (var b = 1; b < ends.Length; b++)
        {
            ends[b] += ends[b - 1];
        }

        foreach (var key in keys)
        {
            scratch[ends[(int)(key >> refineShift) & mask]++] = key;
        }

        scratch.CopyTo(keys);

        // ends[b] is now where bucket b ends (its start is where bucket b - 1 ended).
        var distinct = 0;
        var bucketStart = 0;
        for (var b = 0; b <= mask; b++)
        {
            var bucketEnd = ends[b];
            if (bucketEnd > bucketStart)
            {
                var bucket = keys[bucketStart..bucketEnd];
                SortSmall(bucket);
                distinct++;
                for (var i = 1; i < bucket.Length; i++)
                {
                    if (bucket[i] != bucket[i - 1])
                    {
                        distinct++;
                    }
                }
            }

            bucketStart = bucketEnd;
        }

        return distinct;
    }

    /// <summary>
    /// Insertion sort for the keys of a bucket: a few keys, or many copies of a hot edge with a few others among them —
    /// both cheap for insertion sort (a copy moves only past the greater keys before it). A bucket that is neither
    /// (the moves pass 16 per key) is sorted normally.
    /// </summary>
    private static void SortSmall(Span<ulong> keys)
    {
        var budget = 16L * keys.Length;
        for (var i = 1; i < keys.Length; i++)
        {
            var key = keys[i];
            var j = i - 1;
            while (j >= 0 && keys[j] > key)
            {
                keys[j + 1] = keys[j];
                j--;
            }

            keys[j + 1] = key;
            budget -= i - 1 - j;
            if (budget < 0)
            {
                keys.Sort();
                return;
            }
        }
    }

    /// <summary>
    /// Adds sorted mixed keys (<paramref name="distinct"/> different ones, each as often as it occurs) in runs: first
    /// to the keys the table already holds, then — the table grown once for exactly the new ones — the new keys, each
    /// pass a sweep in slot order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called a few times a build, each a long loop: no tier-0 pass
    private void AddSorted(Span<ulong> keys, int distinct)
    {
        var fresh = distinct;
        if (count > 0)
        {
            // Runs of keys the table holds are added now; the runs of new keys are moved to the front (every write
            // lands at or before the key being read).
            fresh = 0;
            var kept = 0;
            for (var i = 0; i < keys.Length;)
            {
                var key = keys[i];
                var end = RunEnd(keys, i);
                ref var existing = ref Lookup(key);
                if (!Unsafe.IsNullRef(ref existing))
                {
                    Increase(ref existing, end - i);
                }
                else
                {
                    keys[i..end].CopyTo(keys[kept..]);
                    kept += end - i;
                    fresh++;
                }

                i = end;
            }

            keys = keys[..kept];
        }

        EnsureCapacityCore(count + fresh);
        for (var i = 0; i < keys.Length;)
        {
            var end = RunEnd(keys, i);
            Increase(ref Find(keys[i]), end - i);
            i = end;
        }
    }

    /// <summary>Where the run of keys equal to <paramref name="keys"/>[<paramref name="start"/>] ends.</summary>
    private static int RunEnd(ReadOnlySpan<ulong> keys, int start)
    {
        var end = start + 1;
        while (end < keys.Length && keys[end] == keys[start])
        {
            end++;
        }

        return end;
    }

    /// <summary>The count slot of a mixed key, or a null reference when the table does not hold it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref uint Lookup(ulong key)
    {
        var table = Slots;
        for (var i = Home(key, table.Length); ; i = Next(i, table.Length))
        {
            ref var slot = ref table[i];
            if (slot.Key == key)
            {
                return ref slot.Count;
            }

            if (slot.Key == 0)
            {
                return ref Unsafe.NullRef<uint>();
            }
        }
    }

    /// <summary>The count slot of a mixed key, inserted as 0 when absent (growing the table first if needed).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref uint Find(ulong key)
    {
        var table = Slots;
        var i = Home(key, table.Length);
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
                    Resize(table.Length * 2);
                    return ref Find(key);
                }

                slot.Key = key;
                count++;
                return ref slot.Count;
            }

            i = Next(i, table.Length);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called a few times a build, each a long loop: no tier-0 pass
    private void Resize(int newCapacity)
    {
        var oldBlock = block;
        var old = Slots;
        var newBlock = new NativeBlock((nuint)sizeof(Slot) * (nuint)newCapacity);
        var table = new Span<Slot>(newBlock.Pointer, newCapacity);

        // Old slots are visited in order of their home slot (modulo wrap-around), so re-insertion walks the new table
        // almost sequentially.
        foreach (var slot in old)
        {
            if (slot.Key == 0)
            {
                continue;
            }

            var i = Home(slot.Key, table.Length);
            while (table[i].Key != 0)
            {
                i = Next(i, table.Length);
            }

            table[i] = slot;
        }

        if (pressureReported)
        {
            newBlock.ReportPressure();
        }

        block = newBlock;
        capacity = table.Length;
        oldBlock.Release();
        growAt = GrowThreshold(table.Length);
    }

    /// <summary>The table's slots, in native memory (see <see cref="NativeBlock"/> for why).</summary>
    private Span<Slot> Slots => new(block.Pointer, capacity);

    /// <summary>Adds to a count, refusing to wrap: a count past 4,294,967,295 co-occurrences means more records
    /// than any corpus this is built for.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Increase(ref uint count, long amount)
    {
        var sum = count + (ulong)amount;
        if (sum > uint.MaxValue || amount < 0)
        {
            throw new OverflowException(string.Create(CultureInfo.InvariantCulture, $"An edge count would pass {uint.MaxValue:N0} (adding {amount:N0} to {count:N0})."));
        }

        count = (uint)sum;
    }

    /// <summary>12 bytes: a table of 36.5M edges (a 1M-record build) is 626 MB instead of 834 MB with a 64-bit count,
    /// and every byte of it is fresh memory the kernel zeroes.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 4)]
    private struct Slot
    {
        public ulong Key;
        public uint Count;
    }
}
