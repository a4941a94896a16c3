namespace WildLong.Llm.Quota;

/// <summary>
/// One worker process in a deployment's quota pool, as last written by its own heartbeat. Shares are fractions of
/// the deployment's token and request windows.
/// </summary>
/// <param name="Member">The worker's id (host, process id and a random part: unique per process start).</param>
/// <param name="LastSeen">When its last heartbeat was written.</param>
public sealed record QuotaShareMember(string Member, DateTimeOffset LastSeen)
{
    /// <summary>
    /// The most of the window this worker's charges can fill until it writes again: the larger of its share and what
    /// its window still holds (charges taken under a larger share leave only with the window). Others never grow
    /// into it. Null for a row that does not say (counted as a fair part).
    /// </summary>
    public double? Claim { get; init; }

    /// <summary>The share it would use: its window plus its waiting charges, as a fraction of the window.</summary>
    public double Demand { get; init; } = 1;

    /// <summary>
    /// The share its oldest call larger than a fair part or than its rounded split needs to go now, beside what the
    /// worker's window still holds; 0 when it has none.
    /// </summary>
    public double Need { get; init; }

    /// <summary>When that long call started waiting: the oldest one gets the pool's turn.</summary>
    public DateTimeOffset? NeedSince { get; init; }

    /// <summary>
    /// Its typical call (the mean of its recent calls no larger than a fair part) as a share of the window; the pool
    /// rounds each member's share to whole calls of its unit. Null when it has made no call yet (or a row that does
    /// not say).
    /// </summary>
    public double? Unit { get; init; }

    /// <summary>
    /// Its next call (the oldest waiting one no larger than a fair part) as a share of the window. When it is larger
    /// than its <see cref="Unit"/>, the pool gives it the difference from the room whole calls leave, so the call fits
    /// beside its other calls instead of waiting a window for one of them to leave. Null when none is waiting (or a
    /// row that does not say).
    /// </summary>
    public double? Next { get; init; }
}
