using WildLong.Core.Graphs;

namespace WildLong.Core.Tests.Graphs;

public class NativeBufferPoolTests
{
    [Fact]
    public void A_returned_block_serves_the_next_renter_that_fits_and_only_the_two_largest_are_kept()
    {
        using var pool = new NativeBufferPool();
        var small = pool.Rent(1024);
        var medium = pool.Rent(4096);
        var large = pool.Rent(16384);
        pool.Return(small);
        pool.Return(medium);
        pool.Return(large);

        // The smallest spare that fits; the smallest of three spares was freed.
        Assert.Same(medium, pool.Rent(2000));
        Assert.Same(large, pool.Rent(100));
        var fresh = pool.Rent(100);
        Assert.NotSame(small, fresh);
        Assert.Equal((nuint)100, fresh.Bytes);
    }

    [Fact]
    public void Disposing_frees_the_spares_and_a_block_returned_later()
    {
        var pool = new NativeBufferPool();
        var kept = pool.Rent(4096);
        var late = pool.Rent(4096);
        pool.Return(kept);
        pool.Dispose();
        pool.Return(late);

        Assert.True(kept.IsReleased);
        Assert.True(late.IsReleased);
        Assert.Throws<ObjectDisposedException>(() => pool.Rent(16));
    }
}
