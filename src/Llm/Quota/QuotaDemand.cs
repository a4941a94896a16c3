namespace WildLong.Llm.Quota;

/// <summary>
/// What one worker's limiter asks of a shared deployment, in tokens of the 10-second window: what
/// <see cref="QuotaShareCoordinator"/> publishes so the pool can weigh the shares by demand and give long calls a turn.
/// </summary>
/// <param name="WindowBudget">The whole deployment's token window (TPM/6 after headroom): the unit of a share.</param>
/// <param name="Capacity">This worker's part of it at its current share.</param>
/// <param name="InWindow">Charged in this worker's window now (its own calls and foreign use it was told of).</param>
/// <param name="Queued">Charges of the calls waiting for admission.</param>
/// <param name="Oversized">The oldest waiting charge larger than the threshold asked for (0 if none).</param>
/// <param name="OversizedSince">When that call started waiting.</param>
public sealed record QuotaDemand(long WindowBudget, long Capacity, long InWindow, long Queued, long Oversized, DateTimeOffset? OversizedSince)
{
    /// <summary>
    /// The mean of the last admitted charges no larger than the size asked for (0 if none): the whole-call unit
    /// the pool rounds shares to, so a share holds whole calls.
    /// </summary>
    public long TypicalCall { get; init; }

    /// <summary>
    /// The oldest waiting charge no larger than the size asked for (0 if none): the call that must pass next, which
    /// may be larger than <see cref="TypicalCall"/>.
    /// </summary>
    public long NextCall { get; init; }
}
