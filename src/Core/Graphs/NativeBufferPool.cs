namespace WildLong.Core.Graphs;

/// <summary>
/// The spare native buffers of one graph builder (one thread): the edge increments of a graph are buffered in blocks
/// of up to 256 MB each before they are counted (<see cref="EdgeCountTable"/>), and memory the process touches for the
/// first time costs the kernel a page fault and a zeroing per page — on the 2-core test machine about 1.4 s of CPU per
/// GB, a large part of a 1M-record build. A builder that builds graph after graph hands the same blocks from one to the next
/// instead of freeing and allocating them again.
/// </summary>
/// <remarks>Not thread-safe: one pool per builder thread. Disposing frees the spares (blocks still rented are freed
/// by their renter or its finalizer).</remarks>
internal sealed class NativeBufferPool : IDisposable
{
    /// <summary>A table holds at most two blocks at once (its buffer and, while it grows, the next one).</summary>
    private const int MaxSpares = 2;

    private readonly List<NativeBlock> spares = [];
    private bool disposed;

    /// <summary>The smallest spare of at least <paramref name="bytes"/> bytes, or a new block (not zeroed).</summary>
    public NativeBlock Rent(nuint bytes)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var best = -1;
        for (var i = 0; i < spares.Count; i++)
        {
            if (spares[i].Bytes >= bytes && (best < 0 || spares[i].Bytes < spares[best].Bytes))
            {
                best = i;
            }
        }

        if (best < 0)
        {
            return new NativeBlock(bytes, zeroed: false);
        }

        var block = spares[best];
        spares.RemoveAt(best);
        return block;
    }

    /// <summary>Keeps <paramref name="block"/> for the next renter (the largest <see cref="MaxSpares"/> are kept).</summary>
    public void Return(NativeBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (disposed)
        {
            block.Release();
            return;
        }

        spares.Add(block);
        if (spares.Count > MaxSpares)
        {
            var smallest = 0;
            for (var i = 1; i < spares.Count; i++)
            {
                if (spares[i].Bytes < spares[smallest].Bytes)
                {
                    smallest = i;
                }
            }

            spares[smallest].Release();
            spares.RemoveAt(smallest);
        }
    }

    public void Dispose()
    {
        disposed = true;
        foreach (var block in spares)
        {
            block.Release();
        }

        spares.Clear();
    }
}
