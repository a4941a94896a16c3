using System.Runtime.InteropServices;

namespace WildLong.Core.Graphs;

/// <summary>
/// A zeroed block of native memory that the garbage collector never sees: the storage of a large
/// <see cref="EdgeCountTable"/>. Why not a managed array: a 1M-record build grows its tables to about 2.7 GB in
/// total, and every large-object allocation counts towards the budget that starts a full (gen2) collection, which
/// then marks the millions of input records again (measured: 6 gen2 collections and 3–8 s of pauses in a 1M build).
/// Blocks of 2 MB and more are also 2 MB-aligned and, on Linux, advised as transparent huge pages, so zeroing them
/// takes one page fault per 2 MB instead of one per 4 KB (page faults were the largest single cost in the profile).
/// </summary>
/// <remarks>The block is reported to the GC as memory pressure (and removed when freed), so collections still happen
/// when dead graphs hold much native memory, without the large-object allocations and their zeroing.
/// Not <see cref="IDisposable"/>: a graph's lifetime is the GC's business (graphs are shared by readers
/// with no owner to dispose them). Freed by <see cref="Release"/> (the table frees an outgrown block at once) or, failing that, by the
/// finalizer when the owning table is collected.</remarks>
internal sealed unsafe class NativeZeroedBlock
{
    private const nuint HugePage = 2 * 1024 * 1024;
    private const int MadviseHugePage = 14; // MADV_HUGEPAGE (Linux)

    private void* pointer;

    /// <summary>Allocates <paramref name="bytes"/> zeroed bytes.</summary>
    /// <exception cref="OutOfMemoryException">The memory is not available.</exception>
    public NativeZeroedBlock(nuint bytes)
    {
        Bytes = bytes;
        if (bytes >= HugePage)
        {
            pointer = NativeMemory.AlignedAlloc(bytes, HugePage);
            if (OperatingSystem.IsLinux())
            {
                // Advice only: where huge pages are off or unavailable the kernel ignores it (or fails), which costs
                // speed, not correctness.
                try
                {
                    _ = Madvise(pointer, bytes, MadviseHugePage);
                }
                catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
                {
                }
            }

            NativeMemory.Clear(pointer, bytes);
        }
        else
        {
            pointer = NativeMemory.AllocZeroed(bytes);
        }

        // The GC must still know what a dead graph keeps alive, or a long-running worker that builds graph after
        // graph would only free them when some unrelated full collection happens to run.
        GC.AddMemoryPressure((long)bytes);
    }

    ~NativeZeroedBlock() => Free();

    public nuint Bytes { get; }

    /// <summary>The start of the block (null once disposed).</summary>
    public void* Pointer => pointer;

    /// <summary>Frees the block now (its owner has outgrown it); <see cref="Pointer"/> becomes null.</summary>
    public void Release()
    {
        Free();
    }

    private void Free()
    {
        var p = pointer;
        pointer = null;
        if (p is not null)
        {
            GC.RemoveMemoryPressure((long)Bytes);
            if (Bytes >= HugePage)
            {
                NativeMemory.AlignedFree(p);
            }
            else
            {
                NativeMemory.Free(p);
            }
        }
    }

    [DllImport("libc", EntryPoint = "madvise", SetLastError = false)]
    private static extern int Madvise(void* address, nuint length, int advice);
}
