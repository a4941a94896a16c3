using System.Collections.Concurrent;

namespace WildLong.Core.Graphs;

/// <summary>
/// Decides, for every document type that has documents, which graph its paths are sampled from — so that a type
/// with documents always gets paths, even when few or none of the queries were about it:
/// <list type="bullet">
/// <item>its own graph when it has at least <see cref="GraphOptions.MinRecordsForOwnGraph"/> records;</item>
/// <item>fewer records: its own graph for the type-dependent fields (task, intent, domain, …) and the graph of all
/// types for the type-independent ones (<see cref="GraphOptions.TypeIndependentFields"/>: format, tone, length,
/// language), with the shape of all types (too few records to estimate their own);</item>
/// <item>no graph, or no value of the start field: the graph of the nearest type configured
/// (<see cref="GraphOptions.BorrowFrom"/>) when that has enough records, else the graph of all types.</item>
/// </list>
/// The graph of all types pools every type's counts, including types no document has, so their queries still count.
/// A pure function of its inputs: every host that resolves the same graphs and types gets the same sources.
/// </summary>
public sealed class GraphSources
{
    private readonly Dictionary<string, GraphSource> sources;
    private readonly ConcurrentDictionary<(string Type, SamplingOptions Options, EdgeWeighting Weighting), PathSampler> samplers = new();

    private GraphSources(Dictionary<string, GraphSource> sources, IReadOnlyList<string> unserved, CooccurrenceGraph? pooled)
    {
        this.sources = sources;
        Unserved = unserved;
        Pooled = pooled;
    }

    /// <summary>The sources, ordered by document type.</summary>
    public IReadOnlyList<GraphSource> Sources => sources.Keys.Order(StringComparer.Ordinal).Select(t => sources[t]).ToList();

    /// <summary>What the manifest lists: every type that blended or borrowed, ordered by type.</summary>
    public IReadOnlyList<GraphBorrowing> Borrowings => Sources.Select(s => s.Borrowing).OfType<GraphBorrowing>().ToList();

    /// <summary>Types with documents that no graph can serve (the graph set is empty), ordered.</summary>
    public IReadOnlyList<string> Unserved { get; }

    /// <summary>The graph of all types, when some type needed it.</summary>
    public CooccurrenceGraph? Pooled { get; }

    public GraphSource? this[string documentType] => sources.GetValueOrDefault(documentType);

    /// <summary>Resolves the source of every type in <paramref name="typesWithDocuments"/>.</summary>
    /// <param name="graphs">The finalized graphs (merged, folded, pruned).</param>
    /// <param name="typesWithDocuments">The document types of the run's documents.</param>
    /// <param name="options">Thresholds, type-independent fields and nearest types.</param>
    /// <param name="startField">The field paths start at (<see cref="SamplingOptions.StartField"/>).</param>
    public static GraphSources Resolve(GraphSet graphs, IEnumerable<string> typesWithDocuments, GraphOptions options, string startField)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        ArgumentNullException.ThrowIfNull(typesWithDocuments);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var independent = options.EffectiveTypeIndependentFields;
        var minimum = options.MinRecordsForOwnGraph;
        var pooled = new Lazy<CooccurrenceGraph?>(graphs.Pool);
        var result = new Dictionary<string, GraphSource>(StringComparer.Ordinal);
        var unserved = new List<string>();
        foreach (var type in typesWithDocuments.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var own = graphs[type] is { NodeCount: > 0 } g ? g : null;
            var ownRecords = graphs[type]?.RecordCount ?? 0;
            var weight = Math.Max(ownRecords, minimum);
            var ownHasStart = own is not null && HasValues(own, startField);
            bool PoolHasStart() => pooled.Value is { } p && HasValues(p, startField);
            if (own is not null && (ownHasStart || !PoolHasStart()))
            {
                if (ownRecords >= minimum)
                {
                    result[type] = new GraphSource(type, GraphSourceKind.Own, own, null, new HashSet<string>(), own.Shape, ownRecords, weight, null);
                    continue;
                }

                var shared = independent.Where(f => f != startField && pooled.Value!.Fields.Contains(f)).Order(StringComparer.Ordinal).ToList();
                var dependent = own.Fields.Where(f => !independent.Contains(f)).ToList();
                if (shared.Count == 0 || dependent.Count == 0 || pooled.Value!.RecordCount == ownRecords)
                {
                    result[type] = new GraphSource(type, GraphSourceKind.Own, own, null, new HashSet<string>(), own.Shape, ownRecords, weight, null);
                    continue;
                }

                var borrowing = new GraphBorrowing(type, GraphSourceKind.Blended, GraphSet.AllTypes, ownRecords, pooled.Value!.RecordCount, shared,
                    $"{ownRecords} records of its own, fewer than {minimum}: type-independent fields and the path shape come from all types");
                result[type] = new GraphSource(type, GraphSourceKind.Blended, own, pooled.Value, shared.ToHashSet(StringComparer.Ordinal),
                    pooled.Value.Shape, ownRecords, weight, borrowing);
                continue;
            }

            var why = own is null
                ? ownRecords == 0 ? "no query of its own" : "no graph value of its own after pruning"
                : $"no '{startField}' value of its own";
            if (options.BorrowFrom.TryGetValue(type, out var nearestType)
                && graphs[nearestType] is { } nearest
                && nearest.RecordCount >= minimum
                && (HasValues(nearest, startField) || !PoolHasStart()))
            {
                result[type] = Borrowed(type, nearest, nearestType, ownRecords, weight, $"{why}: borrows the configured nearest type");
            }
            else if (pooled.Value is { NodeCount: > 0 } all)
            {
                result[type] = Borrowed(type, all, GraphSet.AllTypes, ownRecords, weight, $"{why}: borrows the graph of all types");
            }
            else
            {
                unserved.Add(type);
            }
        }

        return new GraphSources(result, unserved, pooled.IsValueCreated ? pooled.Value : null);
    }

    /// <summary>The sampler of a resolved type (built once per options and weighting, then shared).</summary>
    public PathSampler SamplerFor(string documentType, SamplingOptions options, EdgeWeighting weighting)
    {
        ArgumentNullException.ThrowIfNull(options);
        var source = this[documentType] ?? throw new ArgumentException($"Document type '{documentType}' has no resolved graph.", nameof(documentType));
        return samplers.GetOrAdd((documentType, options, weighting), _ => new PathSampler(source, options, weighting));
    }

    private static GraphSource Borrowed(string type, CooccurrenceGraph graph, string sourceName, long ownRecords, long weight, string reason)
        => new(type, GraphSourceKind.Borrowed, graph, null, new HashSet<string>(), graph.Shape, ownRecords, weight,
            new GraphBorrowing(type, GraphSourceKind.Borrowed, sourceName, ownRecords, graph.RecordCount, graph.Fields, reason));

    private static bool HasValues(CooccurrenceGraph graph, string field) => graph.Fields.Contains(field);
}
