using WildLong.Llm.Quota;

namespace WildLong.Llm.Tests.Quota;

public sealed class AdaptiveConcurrencyTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void One_decrease_per_retry_after_window_however_many_429s_arrive_in_it()
    {
        var concurrency = new AdaptiveConcurrency(initial: 20, floor: 4, ceiling: 64, decreaseFactor: 0.5);

        var decreased = Enumerable.Range(0, 50).Count(i => concurrency.OnThrottled(T0 + TimeSpan.FromMilliseconds(i * 10), TimeSpan.FromSeconds(1)));

        Assert.Equal(1, decreased);
        Assert.Equal(10, concurrency.Limit);
        Assert.True(concurrency.OnThrottled(T0 + TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        Assert.Equal(5, concurrency.Limit);
    }

    [Fact]
    public void Decreases_stop_at_the_floor()
    {
        var concurrency = new AdaptiveConcurrency(initial: 64, floor: 3, ceiling: 64, decreaseFactor: 0.5);

        for (var i = 0; i < 100; i++)
        {
            concurrency.OnThrottled(T0 + TimeSpan.FromSeconds(i), TimeSpan.FromMilliseconds(1));
        }

        Assert.Equal(3, concurrency.Limit);
    }

    [Fact]
    public void A_floor_of_one_is_refused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptiveConcurrency(4, 1, 8, 0.5));
}
