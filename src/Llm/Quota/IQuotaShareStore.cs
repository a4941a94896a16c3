namespace WildLong.Llm.Quota;

/// <summary>
/// Where the workers that call one deployment find each other: one row per worker in a pool named after the
/// deployment (Table Storage in a real run, <see cref="InMemoryQuotaShareStore"/> in tests and benchmarks).
/// </summary>
public interface IQuotaShareStore
{
    /// <summary>Writes <paramref name="self"/> (its heartbeat, claim and demand) and returns every member of the pool, itself included.</summary>
    Task<IReadOnlyList<QuotaShareMember>> HeartbeatAsync(string pool, QuotaShareMember self, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="self"/> without reading the pool (a larger claim, published before it is used).</summary>
    Task UpdateAsync(string pool, QuotaShareMember self, CancellationToken cancellationToken);

    /// <summary>Removes <paramref name="member"/> from the pool (a worker that stops cleanly), so the others grow at once.</summary>
    Task LeaveAsync(string pool, string member, CancellationToken cancellationToken);
}
