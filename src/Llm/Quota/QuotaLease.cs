namespace WildLong.Llm.Quota;

/// <summary>
/// One admitted attempt's hold on a concurrency slot. Disposing it gives the slot back; <see cref="MarkSucceeded"/>
/// first lets adaptive concurrency grow. While the attempt runs, <see cref="Current"/> lets the HTTP handler beneath
/// relate the server's rate-limit headers to the moment this attempt was admitted.
/// </summary>
public sealed class QuotaLease : IDisposable
{
    private static readonly AsyncLocal<QuotaLease?> Ambient = new();
    private readonly QuotaLimiter limiter;
    private int released;

    internal QuotaLease(QuotaLimiter limiter, long tokens, DateTimeOffset admittedAt, object?[] charges)
    {
        this.limiter = limiter;
        Tokens = tokens;
        AdmittedAt = admittedAt;
        Charges = charges;
    }

    /// <summary>The lease of the attempt running on this async flow, if any.</summary>
    public static QuotaLease? Current => Ambient.Value;

    /// <summary>Tokens charged at admission (prompt estimate + max output tokens).</summary>
    public long Tokens { get; }

    public DateTimeOffset AdmittedAt { get; }

    /// <summary>When the request last left for the server (set by the HTTP handler); null before it was sent.</summary>
    public DateTimeOffset? SentAt { get; internal set; }

    /// <summary>Handles of this attempt's charges in the limiter's buckets.</summary>
    internal object?[] Charges { get; }

    public bool Succeeded { get; private set; }

    public void MarkSucceeded() => Succeeded = true;

    /// <summary>Makes this lease <see cref="Current"/> for the calls made on this async flow until disposed.</summary>
    public IDisposable Activate()
    {
        var previous = Ambient.Value;
        Ambient.Value = this;
        return new Restore(previous);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref released, 1) == 0)
        {
            limiter.Release(this);
        }
    }

    private sealed class Restore(QuotaLease? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
