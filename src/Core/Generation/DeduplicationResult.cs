namespace WildLong.Core.Generation;

/// <summary>The items kept by near-duplicate filtering (input order) and, for each dropped item, why.</summary>
public sealed record DeduplicationResult<T>(IReadOnlyList<T> Kept, IReadOnlyList<NearDuplicate> Removed);
