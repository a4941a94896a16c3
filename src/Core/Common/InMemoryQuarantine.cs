using System.Collections.Concurrent;

namespace WildLong.Core.Common;

/// <summary>A thread-safe in-memory quarantine list, for batch functions and tests.</summary>
public sealed class InMemoryQuarantine : IQuarantineSink
{
    private readonly ConcurrentQueue<QuarantineEntry> entries = new();

    public IReadOnlyList<QuarantineEntry> Entries => [.. entries];

    public ValueTask AddAsync(QuarantineEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entries.Enqueue(entry);
        return ValueTask.CompletedTask;
    }
}
