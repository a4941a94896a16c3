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
        return new GraphReport(types, sources.Borrowings, sources.Unserved);
    }
}
