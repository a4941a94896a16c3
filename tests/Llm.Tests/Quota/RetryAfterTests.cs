using WildLong.Llm.Quota;

namespace WildLong.Llm.Tests.Quota;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Milliseconds_header_wins_over_seconds()
        => Assert.Equal(TimeSpan.FromMilliseconds(1234), RetryAfter.Parse(n => n == "retry-after-ms" ? "1234" : "2", Now));

    [Fact]
    public void Seconds_are_used_when_there_is_no_milliseconds_header()
        => Assert.Equal(TimeSpan.FromSeconds(7), RetryAfter.Parse(n => n == "retry-after" ? "7" : null, Now));

    [Fact]
    public void An_http_date_is_the_wait_until_that_moment()
        => Assert.Equal(TimeSpan.FromSeconds(30), RetryAfter.Parse(n => n == "retry-after" ? "Sat, 01 Mar 2025 12:00:30 GMT" : null, Now));

    [Fact]
    public void No_or_unreadable_header_is_null()
    {
        Assert.Null(RetryAfter.Parse(_ => null, Now));
        Assert.Null(RetryAfter.Parse(n => n == "retry-after" ? "soon" : null, Now));
    }
}
