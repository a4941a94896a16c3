using Microsoft.Extensions.Time.Testing;
using WildLong.Llm.Quota;

namespace WildLong.Llm.Tests.Support;

/// <summary>Waits for a limiter under a fake clock: nothing in these tests waits for real time to pass a quota.</summary>
public static class QuotaWaits
{
    /// <summary>Until <paramref name="waiting"/> callers wait in the limiter, and a little longer so they are parked.</summary>
    public static async Task ParkedAsync(QuotaLimiter limiter, int waiting)
    {
        for (var i = 0; i < 500 && limiter.Snapshot().Waiting != waiting; i++)
        {
            await Task.Delay(5);
        }

        Assert.Equal(waiting, limiter.Snapshot().Waiting);
        await Task.Delay(30);
    }

    /// <summary>
    /// Checks that <paramref name="waiter"/>, the one caller waiting in <paramref name="limiter"/>, is admitted exactly
    /// <paramref name="wait"/> from now on <paramref name="clock"/>: still waiting a millisecond before, admitted then.
    /// </summary>
    public static async Task<QuotaLease> AdmittedExactlyAfterAsync(QuotaLimiter limiter, FakeTimeProvider clock, Task<QuotaLease> waiter, TimeSpan wait)
    {
        await ParkedAsync(limiter, 1);
        clock.Advance(wait - TimeSpan.FromMilliseconds(1));
        await ParkedAsync(limiter, 1);
        Assert.False(waiter.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        return await waiter.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
