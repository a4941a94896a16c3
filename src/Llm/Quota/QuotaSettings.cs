namespace WildLong.Llm.Quota;

/// <summary>
/// The numbers the <see cref="QuotaLimiter"/> works with, derived from <see cref="ModelOptions"/> (or set directly in
/// tests), so the limiter's arithmetic can be checked without configuration binding.
/// </summary>
public sealed record QuotaSettings
{
    public QuotaSettings(int tpm, int rpm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tpm);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rpm);
        Tpm = tpm;
        Rpm = rpm;
    }

    public int Tpm { get; }

    public int Rpm { get; }

    /// <summary>Azure evaluates tokens over 10-second windows (TPM/6 each).</summary>
    public TimeSpan TokenWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Azure evaluates requests over 1-second windows (RPM/60 each).</summary>
    public TimeSpan RequestWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Added to both windows on our side: a request reaches the server a little after we admit it, and jitter in
    /// that delay would otherwise let two requests meet in one server window that we counted in two.
    /// </summary>
    public TimeSpan WindowMargin { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Share of each window left unused for estimates that differ from the server's count.</summary>
    public double Headroom { get; init; } = 0.01;

    public int InitialConcurrency { get; init; } = 16;

    /// <summary>Floor of adaptive concurrency; above 1 so a burst of 429s cannot collapse the run to one request.</summary>
    public int MinConcurrency { get; init; } = 4;

    public int MaxConcurrency { get; init; } = 64;

    /// <summary>Multiplicative decrease on a 429 (applied at most once per retry-after window).</summary>
    public double DecreaseFactor { get; init; } = 0.7;

    /// <summary>Pause after a 429 that carries no retry-after.</summary>
    public TimeSpan DefaultPause { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the oldest waiter may be overtaken freely by later ones that fit (which keeps the window full); after
    /// that it holds a reservation: later waiters may only use room that does not delay it, so it cannot starve.
    /// </summary>
    public TimeSpan ReservationAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Under a shared quota, how long the share may go without being set again (the coordinator sets it at every
    /// heartbeat that reached the pool) before a charge larger than this worker's part of the window goes into an
    /// empty window anyway, as it would alone: a pool that cannot be reached delays long calls instead of stopping them.
    /// </summary>
    public TimeSpan OversizedWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Differences from the server's remaining headers smaller than this share of the quota are noise.</summary>
    public double RemainingTolerance { get; init; } = 0.02;

    /// <summary>Tokens per token window after headroom (at least 1).</summary>
    public long TokenWindowBudget => Math.Max(1, (long)Math.Floor(Tpm * (TokenWindow.TotalSeconds / 60) * (1 - Headroom)));

    /// <summary>Requests per request window after headroom (at least 1).</summary>
    public long RequestWindowBudget => Math.Max(1, (long)Math.Floor(Rpm * (RequestWindow.TotalSeconds / 60) * (1 - Headroom)));

    public static QuotaSettings From(ModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new QuotaSettings(options.Tpm, options.Rpm)
        {
            Headroom = options.QuotaHeadroom,
            InitialConcurrency = options.InitialConcurrency,
            MinConcurrency = options.MinConcurrency,
            MaxConcurrency = options.MaxConcurrency,
        };
    }
}
