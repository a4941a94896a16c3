namespace WildLong.Llm.Quota;

/// <summary>
/// A token bucket whose tokens come back when the charge that took them leaves a sliding window — the way Azure
/// OpenAI evaluates quota (TPM/6 per 10 s, RPM/60 per 1 s). A constant-rate bucket with the same long-run rate lets
/// up to twice the window budget through right after an idle spell or a large request, and the server answers
/// that with 429s; mirroring the server's own window keeps us inside it while still using all of it.
/// The bucket also remembers charges for <see cref="Retention"/> so the limiter can compare its view of the last
/// minute with the server's <c>x-ratelimit-remaining-*</c> headers. Not thread-safe: the limiter holds a lock.
/// </summary>
public sealed class SlidingWindowBucket
{
    private readonly LinkedList<Charge> charges = new();
    private long inWindowCache;

    public SlidingWindowBucket(long capacity, TimeSpan window, TimeSpan retention)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(retention, window);
        Capacity = capacity;
        Window = window;
        Retention = retention;
    }

    /// <summary>What may be charged within any <see cref="Window"/>.</summary>
    public long Capacity { get; private set; }

    /// <summary>
    /// Changes what may be charged within a window (a worker's share of a shared deployment changed). Charges already
    /// taken stay where they are: a smaller capacity only makes the next admissions wait longer.
    /// </summary>
    public void Resize(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    public TimeSpan Window { get; }

    public TimeSpan Retention { get; }

    /// <summary>Sum of the charges taken less than <see cref="Window"/> before <paramref name="now"/>.</summary>
    public long InWindow(DateTimeOffset now)
    {
        Expire(now);
        long sum = 0;
        for (var node = charges.Last; node is not null && now - node.Value.At < Window; node = node.Previous)
        {
            sum += node.Value.Amount;
        }

        inWindowCache = sum;
        return sum;
    }

    /// <summary>
    /// What will still be in the window at the later instant <paramref name="when"/> of what is charged now — the
    /// room a reservation for <paramref name="when"/> can count on.
    /// </summary>
    public long InWindowAt(DateTimeOffset when)
    {
        long sum = 0;
        for (var node = charges.Last; node is not null && when - node.Value.At < Window; node = node.Previous)
        {
            sum += node.Value.Amount;
        }

        return sum;
    }

    /// <summary>Tokens left in the bucket now.</summary>
    public long Available(DateTimeOffset now) => Math.Max(0, Capacity - InWindow(now));

    /// <summary>
    /// Whether <paramref name="amount"/> can be taken now. A charge larger than the whole bucket fits only into an
    /// empty window (as on Azure), so an oversized request waits its turn instead of failing forever.
    /// </summary>
    public bool Fits(long amount, DateTimeOffset now)
    {
        var used = InWindow(now);
        return used + amount <= Capacity || used == 0;
    }

    /// <summary>Takes <paramref name="amount"/> now; the returned handle lets <see cref="Restamp"/> move it later.</summary>
    public object? Take(long amount, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        if (amount == 0)
        {
            return null;
        }

        // Charges arrive in clock order; clamp so the list stays sorted even if a caller passes an older instant.
        if (charges.Last is { } last && last.Value.At > now)
        {
            now = last.Value.At;
        }

        return charges.AddLast(new Charge(now, amount));
    }

    /// <summary>
    /// Moves a charge to a later instant — when its request actually left for the server, which may be well after
    /// admission (first-call start-up, serialising a long prompt) — so our window lines up with the server's.
    /// </summary>
    public void Restamp(object? handle, DateTimeOffset at)
    {
        if (handle is not LinkedListNode<Charge> node || node.List != charges || at <= node.Value.At)
        {
            return;
        }

        var next = node.Next;
        while (next is not null && next.Value.At <= at)
        {
            next = next.Next;
        }

        charges.Remove(node);
        node.Value.At = at;
        if (next is null)
        {
            charges.AddLast(node);
        }
        else
        {
            charges.AddBefore(next, node);
        }
    }

    /// <summary>How long until <paramref name="amount"/> fits, assuming nothing else is taken meanwhile; zero when it fits now.</summary>
    public TimeSpan TimeUntilFits(long amount, DateTimeOffset now)
    {
        var used = InWindow(now);
        if (used + amount <= Capacity || used == 0)
        {
            return TimeSpan.Zero;
        }

        // Walk the charges in the window oldest first; the wait ends when enough of them have left it.
        var remaining = used;
        for (var node = charges.First; node is not null; node = node.Next)
        {
            if (now - node.Value.At >= Window)
            {
                continue;
            }

            remaining -= node.Value.Amount;
            if (remaining + amount <= Capacity || remaining == 0)
            {
                var wait = node.Value.At + Window - now;
                return wait > TimeSpan.Zero ? wait : TimeSpan.FromTicks(1);
            }
        }

        return Window;
    }

    /// <summary>Sum of the charges taken in the interval (<paramref name="from"/>, <paramref name="to"/>].</summary>
    public long TakenBetween(DateTimeOffset from, DateTimeOffset to)
    {
        long sum = 0;
        foreach (var charge in charges)
        {
            if (charge.At > from && charge.At <= to)
            {
                sum += charge.Amount;
            }
        }

        return sum;
    }

    /// <summary>The last value computed by <see cref="InWindow"/> (for snapshots, without touching the clock).</summary>
    internal long LastInWindow => inWindowCache;

    private sealed class Charge(DateTimeOffset at, long amount)
    {
        public DateTimeOffset At { get; set; } = at;

        public long Amount { get; } = amount;
    }

    private void Expire(DateTimeOffset now)
    {
        while (charges.First is { } first && now - first.Value.At >= Retention)
        {
            charges.RemoveFirst();
        }
    }
}
