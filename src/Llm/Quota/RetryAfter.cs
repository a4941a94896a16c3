using System.Globalization;

namespace WildLong.Llm.Quota;

/// <summary>
/// Reads how long the server asked us to wait: Azure's <c>retry-after-ms</c> (exact) first, then the standard
/// <c>retry-after</c> (seconds or an HTTP date). One parser for the HTTP handler and the retry strategy, which see
/// the same answer through different header types.
/// </summary>
public static class RetryAfter
{
    public static TimeSpan? Parse(Func<string, string?> header, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (double.TryParse(header("retry-after-ms"), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        var value = header("retry-after");
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? (date > now ? date - now : TimeSpan.Zero)
            : null;
    }
}
