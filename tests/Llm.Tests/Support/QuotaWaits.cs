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
}
