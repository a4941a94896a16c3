namespace WildLong.Core.Graphs;

/// <summary>
/// How co-occurrence graphs are built and weighted. Exclusions apply while building (so every shard must use the same
/// options); pruning thresholds apply only after all shards are merged, since pruning a shard would lose counts that
/// other shards complete.
/// </summary>
public sealed class GraphOptions
{
    public const string SectionName = "WildLong:Graphs";

    /// <summary>How edge counts become sampling weights.</summary>
    public EdgeWeighting Weighting { get; set; } = EdgeWeighting.Log;

    /// <summary>Nodes seen in fewer records are dropped (with their edges) by <see cref="GraphSet.Prune(GraphOptions)"/>.</summary>
    public int MinNodeCount { get; set; } = 1;

    /// <summary>Edges seen in fewer records are dropped by <see cref="GraphSet.Prune(GraphOptions)"/>.</summary>
    public int MinEdgeCount { get; set; } = 1;

    /// <summary>Meta-information fields left out of the graphs (ordinal, case-sensitive names).</summary>
    public IList<string> ExcludedFields { get; } = new List<string>();

    /// <summary>
    /// A copy that also excludes <paramref name="fields"/> (typically the schema's non-graph fields), so every host
    /// builds shard graphs with the same exclusions.
    /// </summary>
    public GraphOptions Excluding(IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var copy = new GraphOptions { Weighting = Weighting, MinNodeCount = MinNodeCount, MinEdgeCount = MinEdgeCount };
        foreach (var field in ExcludedFields.Concat(fields).Distinct(StringComparer.Ordinal))
        {
            copy.ExcludedFields.Add(field);
        }

        return copy;
    }
}
