using System.Collections.Concurrent;

namespace WildLong.Llm.Quota;

/// <summary>A quota pool shared by the limiters of one process (tests, benchmarks); workers in other processes need a shared store.</summary>
public sealed class InMemoryQuotaShareStore : IQuotaShareStore
{
    private readonly ConcurrentDictionary<(string Pool, string Member), DateTimeOffset> rows = new();

    public Task<IReadOnlyList<QuotaShareMember>> HeartbeatAsync(string pool, string member, DateTimeOffset now, CancellationToken cancellationToken)
    {
        rows[(pool, member)] = now;
        IReadOnlyList<QuotaShareMember> members = [.. rows.Where(r => r.Key.Pool == pool).Select(r => new QuotaShareMember(r.Key.Member, r.Value))];
        return Task.FromResult(members);
    }

    public Task LeaveAsync(string pool, string member, CancellationToken cancellationToken)
    {
        rows.TryRemove((pool, member), out _);
        return Task.CompletedTask;
    }
}
