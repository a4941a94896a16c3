namespace WildLong.Core.Graphs;

/// <summary>
/// What the manifest says about a run's graphs: per document type the recombination figures
/// (<see cref="GraphStatistics"/>), which types blended or borrowed another graph and why, and which types with
/// documents had no graph at all.
/// </summary>
public sealed record GraphReport(
    IReadOnlyList<GraphStatistics> Types,
    IReadOnlyList<GraphBorrowing> Borrowings,
    IReadOnlyList<string> Unserved)
{
    /// <summary>The report of a run that sampled <paramref name="paths"/> (of every round) from <paramref name="sources"/>.</summary>
    public static GraphReport Build(GraphSources sources, IEnumerable<InstructionPath> paths)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(paths);
        var byType = paths.GroupBy(p => p.DocumentType, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<InstructionPath>)g.ToList(), StringComparer.Ordinal);
        var types = sources.Sources
            .Select(s => GraphStatistics.Compute(s, byType.GetValueOrDefault(s.DocumentType) ?? []))
            .ToList();
        var all = byType.Values.SelectMany(p => p).ToList();
        return new GraphReport(types, sources.Borrowings, sources.Unserved)
        {
            Paths = all.Count,
            PathsWithExamples = all.Count(p => p.Examples is { Count: > 0 }),
            PathsWithDetails = all.Count(p => p.Details is { Count: > 0 }),
            DetailsShown = all.Sum(p => (long)(p.Details?.Count ?? 0)),
        };
    }

    /// <summary>Paths sampled over every round (the instruction writer's inputs).</summary>
    public long Paths { get; init; }

    /// <summary>Paths that carried real request excerpts of their task as style examples.</summary>
    public long PathsWithExamples { get; init; }

    /// <summary>Paths that carried at least one real user's words for one of their values (<see cref="InstructionPath.Details"/>).</summary>
    public long PathsWithDetails { get; init; }

    /// <summary>Users' words shown to the writer over all paths (at most one per step).</summary>
    public long DetailsShown { get; init; }
}
