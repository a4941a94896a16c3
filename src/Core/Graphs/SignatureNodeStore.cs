namespace WildLong.Core.Graphs;

/// <summary>
/// The node hashes of the value sets a <see cref="RecordSignatures"/> keeps, end to end in one block of native memory
/// (an entry is an offset and a length into it). One managed array per set cost a 1M-record build 127 MB of small
/// arrays and 29 MB of entry objects, most of them kept until the graph was read, and with them the page faults of
/// fresh heap and the collections that copy what survives. Measured (cold 1M build, `--smoke`, old and new run in
/// turn): 3.75–3.93 s and 330 MB allocated with arrays, 3.14–3.45 s and 139 MB with this store. Grows by doubling;
/// <see cref="RecordSignatures"/> compacts it when it trims.
/// </summary>
/// <remarks>Not thread-safe, like its owner. A span from <see cref="Get"/> is valid until the next
/// <see cref="Append"/> (which may move the block).</remarks>
internal sealed unsafe class SignatureNodeStore
{
    private const int InitialCapacity = 16 * 1024;

    private NativeBlock? block;
    private long capacity;
    private bool report;

    public SignatureNodeStore(long capacity = 0) => EnsureCapacity(capacity);

    /// <summary>Hashes stored (including those of sets since dropped, until the owner compacts).</summary>
    public long Used { get; private set; }

    /// <summary>Appends <paramref name="nodes"/>; returns where they start.</summary>
    public long Append(ReadOnlySpan<ulong> nodes)
    {
        if (nodes.IsEmpty)
        {
            return Used;
        }

        EnsureCapacity(Used + nodes.Length);
        var offset = Used;
        nodes.CopyTo(new Span<ulong>((ulong*)block!.Pointer + offset, nodes.Length));
        Used += nodes.Length;
        return offset;
    }

    public ReadOnlySpan<ulong> Get(long offset, int length)
        => length == 0 ? [] : new ReadOnlySpan<ulong>((ulong*)block!.Pointer + offset, length);

    /// <summary>Whether the block is reported to the GC (see <see cref="ReportPressure"/>).</summary>
    public bool ReportsPressure => report;

    /// <summary>
    /// Reports the block to the GC as memory pressure from now on (when the owner's graph is read, as the edge table
    /// does: during a build every report counts towards a full collection that marks the records being read).
    /// </summary>
    public void ReportPressure()
    {
        report = true;
        block?.ReportPressure();
    }

    /// <summary>Frees the block (the owner moved to a compacted store).</summary>
    public void Release()
    {
        block?.Release();
        block = null;
        capacity = 0;
        Used = 0;
    }

    private void EnsureCapacity(long needed)
    {
        if (needed <= capacity)
        {
            return;
        }

        var next = Math.Max(Math.Max(InitialCapacity, capacity * 2), needed);
        var grown = new NativeBlock((nuint)(next * sizeof(ulong)), zeroed: false);
        if (block is not null)
        {
            Buffer.MemoryCopy(block.Pointer, grown.Pointer, next * sizeof(ulong), Used * sizeof(ulong));
            block.Release();
        }

        block = grown;
        capacity = next;
        if (report)
        {
            block.ReportPressure();
        }
    }
}
