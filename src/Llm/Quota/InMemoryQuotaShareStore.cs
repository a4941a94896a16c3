using System.Collections.Concurrent;

namespace WildLong.Llm.Quota;

/// <summary>A quota pool shared by the limiters of one process (tests, benchmarks); workers in other processes need a shared store.</summary>
public sealed class InMemoryQuotaShareStore : IQuotaShareStore
{
    private readonly ConcurrentDictionary<(string Pool, string Member), QuotaShareMember> rows = new();

    public Task<IReadOnlyList<QuotaShareMember>> HeartbeatAsync(string pool, QuotaShareMember self, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(self);
        rows[(pool, self.Member)] = self;
        IReadOnlyList<QuotaShareMember> members = [.. rows.Where(r => r.Key.Pool == pool).Select(r => r.Value)];
        return Task.FromResult(members);
    }

    public Task UpdateAsync(string pool, QuotaShareMember self, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(self);
        rows[(pool, self.Member)] = self;
        return Task.CompletedTask;
    }

    public Task LeaveAsync(string pool, string member, CancellationToken cancellationToken)
    {
        rows.TryRemove((pool, member), out _);
        return Task.CompletedTask;
    }
}
