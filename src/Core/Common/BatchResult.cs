namespace WildLong.Core.Common;

/// <summary>
/// The output of one stage over a batch: what succeeded and what was quarantined (with reasons). Every stage is a
/// function from a batch to one of these, so a durable activity can call it directly and report per-item failures.
/// </summary>
public sealed record BatchResult<T>(IReadOnlyList<T> Items, IReadOnlyList<QuarantineEntry> Quarantined)
{
    public static BatchResult<T> Empty { get; } = new([], []);
}
