namespace WildLong.Llm.Quota;

/// <summary>
/// How many requests may be in flight: additive increase on success, multiplicative decrease on a 429. Peers that
/// halve on every 429 collapse to one request during a burst of 429s (all answering the same overload) and then
/// crawl; here a decrease happens at most once per retry-after window and never below a floor above one.
/// Not thread-safe: the limiter holds a lock.
/// </summary>
public sealed class AdaptiveConcurrency
{
    private readonly int floor;
    private readonly int ceiling;
    private readonly double decreaseFactor;
    private double limit;
    private DateTimeOffset decreaseBlockedUntil = DateTimeOffset.MinValue;

    public AdaptiveConcurrency(int initial, int floor, int ceiling, double decreaseFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(floor, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(ceiling, floor);
        ArgumentOutOfRangeException.ThrowIfLessThan(initial, floor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initial, ceiling);
        if (decreaseFactor is <= 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(decreaseFactor), decreaseFactor, "The decrease factor must be in (0, 1).");
        }

        this.floor = floor;
        this.ceiling = ceiling;
        this.decreaseFactor = decreaseFactor;
        limit = initial;
    }

    /// <summary>Requests allowed in flight now.</summary>
    public int Limit => (int)Math.Floor(limit);

    public int Decreases { get; private set; }

    /// <summary>About +1 per round of <see cref="Limit"/> successful requests.</summary>
    public void OnSuccess() => limit = Math.Min(ceiling, limit + (1.0 / limit));

    /// <summary>Decreases once for the window the server asked us to wait; later 429s of the same burst are ignored.</summary>
    public bool OnThrottled(DateTimeOffset now, TimeSpan window)
    {
        if (now < decreaseBlockedUntil)
        {
            return false;
        }

        limit = Math.Max(floor, Math.Floor(limit * decreaseFactor));
        decreaseBlockedUntil = now + window;
        Decreases++;
        return true;
    }
}
