using System.Runtime.InteropServices;

namespace WildLong.Core.Graphs;

/// <summary>
/// A block of native memory that the garbage collector never sees: the slots of a large <see cref="EdgeCountTable"/>
/// (zeroed, reported to the GC once the table is built) and the buffers its increments are counted in (not zeroed,
/// freed or handed on by the table). Why not managed arrays: every large-object allocation counts towards the budget
/// that starts a full (gen2) collection, which then marks the millions of input records again (measured: 6 gen2
/// collections and 3–8 s of pauses in a 1M-record build with managed tables). Blocks of 2 MB and more are also
/// 2 MB-aligned and, on Linux, advised as transparent huge pages, so the kernel faults them in one per 2 MB instead of
/// one per 4 KB.
/// </summary>
/// <remarks>A table's block is reported to the GC as memory pressure (<see cref="ReportPressure"/>), so collections
/// still happen when dead graphs hold much native memory, without the large-object allocations and their zeroing.
/// Not <see cref="IDisposable"/>: a graph's lifetime is the GC's business (graphs are shared by readers with no owner
/// to dispose them). Freed by <see cref="Release"/> (the table frees an outgrown block or a counted buffer at once) or,
/// failing that, by the finalizer.</remarks>
internal sealed unsafe class NativeBlock
{
    private const nuint HugePage = 2 * 1024 * 1024;
    private const int MadviseHugePage = 14; // MADV_HUGEPAGE (Linux)

    private void* pointer;
    private bool reported;

    /// <summary>Allocates <paramref name="bytes"/> bytes.</summary>
    /// <param name="bytes">The size of the block.</param>
    /// <param name="zeroed">Whether the block is zeroed (a table's slots); false for a buffer that is written before
    /// it is read (its contents are whatever the memory held).</param>
    /// <exception cref="OutOfMemoryException">The memory is not available.</exception>
    public NativeBlock(nuint bytes, bool zeroed = true)
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

            if (zeroed)
            {
                NativeMemory.Clear(pointer, bytes);
            }
        }
        else
        {
            pointer = zeroed ? NativeMemory.AllocZeroed(bytes) : NativeMemory.Alloc(bytes);
        }
    }

    ~NativeBlock() => Free();

    public nuint Bytes { get; }

    /// <summary>Whether the block has been freed.</summary>
    public bool IsReleased => pointer is null;

    /// <summary>The start of the block (null once freed).</summary>
    public void* Pointer => pointer;

    /// <summary>
    /// Reports the block to the GC as memory pressure (once; removed when the block is freed). The GC must know what
    /// a dead graph keeps alive, or a long-running worker that builds graph after graph would only free them when some
    /// unrelated full collection happens to run. A table reports its block once its graph is read, not while it is
    /// built: the block is alive then anyway, and every report counts towards a full collection that marks the
    /// records being read (measured: 3 full collections and 0.8–1.0 s of pauses in a 1M-record build, 1 and 0.3 s
    /// without the reports).
    /// </summary>
    public void ReportPressure()
    {
        if (!reported && pointer is not null)
        {
            reported = true;
            GC.AddMemoryPressure((long)Bytes);
        }
    }

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
            if (reported)
            {
                GC.RemoveMemoryPressure((long)Bytes);
            }

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
