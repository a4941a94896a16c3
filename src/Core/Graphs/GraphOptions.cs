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
    /// The fields whose values do not depend on the document type (how the answer should look, not what it is
    /// about). A type with fewer than <see cref="MinRecordsForOwnGraph"/> records samples these from the graph of all
    /// types. Null means <see cref="DefaultTypeIndependentFields"/>; an empty list turns blending off.
    /// </summary>
    public IList<string>? TypeIndependentFields { get; set; }

    /// <summary>
    /// A document type with documents and fewer records than this samples its type-independent fields from the
    /// graph of all types; a type with documents and no graph (or no start value) borrows a whole graph
    /// (<see cref="BorrowFrom"/>, else all types). It is also the weight a borrowing type gets in the plan.
    /// </summary>
    public int MinRecordsForOwnGraph { get; set; } = 20;

    /// <summary>
    /// The nearest type to borrow from, per document type (e.g. <c>"legal_document": "legal_contract"</c>). Used
    /// when the named type has a graph with enough records; otherwise the graph of all types is borrowed.
    /// </summary>
    public IDictionary<string, string> BorrowFrom { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The most distinct record value sets each graph keeps for the recombination rate (see
    /// <see cref="RecordSignatures"/>); 0 keeps none (the rate is then not reported). All shards must agree.
    /// </summary>
    public int MaxRecordSignatures { get; set; } = RecordSignatures.DefaultLimit;

    /// <summary>Type-independent fields when the configuration does not name them: the form of the answer.</summary>
    public static IReadOnlyList<string> DefaultTypeIndependentFields { get; } = ["output_format", "tone_style", "length_requirement", "language"];

    /// <summary>The effective type-independent fields.</summary>
    public IReadOnlySet<string> EffectiveTypeIndependentFields
        => (TypeIndependentFields ?? DefaultTypeIndependentFields.ToList()).Where(f => !string.IsNullOrWhiteSpace(f)).ToHashSet(StringComparer.Ordinal);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MinNodeCount < 1 || MinEdgeCount < 1)
        {
            throw new ArgumentException($"{SectionName}: MinNodeCount and MinEdgeCount must be at least 1.");
        }

        if (MinRecordsForOwnGraph < 1)
        {
            throw new ArgumentException($"{SectionName}:MinRecordsForOwnGraph must be at least 1 (got {MinRecordsForOwnGraph}).");
        }

        if (MaxRecordSignatures < 0)
        {
            throw new ArgumentException($"{SectionName}:MaxRecordSignatures must not be negative (got {MaxRecordSignatures}).");
        }

        if (BorrowFrom.FirstOrDefault(kv => string.IsNullOrWhiteSpace(kv.Value) || kv.Key == kv.Value) is { Key: not null } bad)
        {
            throw new ArgumentException($"{SectionName}:BorrowFrom:{bad.Key} must name another document type.");
        }
    }

    /// <summary>
    /// A copy that also excludes <paramref name="fields"/> (typically the schema's non-graph fields), so every host
    /// builds shard graphs with the same exclusions.
    /// </summary>
    public GraphOptions Excluding(IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var copy = new GraphOptions
        {
            Weighting = Weighting,
            MinNodeCount = MinNodeCount,
            MinEdgeCount = MinEdgeCount,
            TypeIndependentFields = TypeIndependentFields?.ToList(),
            MinRecordsForOwnGraph = MinRecordsForOwnGraph,
            MaxRecordSignatures = MaxRecordSignatures,
        };
        foreach (var field in ExcludedFields.Concat(fields).Distinct(StringComparer.Ordinal))
        {
            copy.ExcludedFields.Add(field);
        }

        foreach (var (type, source) in BorrowFrom)
        {
            copy.BorrowFrom[type] = source;
        }

        return copy;
    }
}
