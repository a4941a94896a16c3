using System.Text.Json;
using WildLong.Core.Common;
using WildLong.Core.MetaInfo;

namespace WildLong.Core.Graphs;

/// <summary>
/// One co-occurrence graph per document type — the paper builds a separate graph for each type, because what users
/// ask of a contract differs from what they ask of a novel. Like its graphs it merges by addition, so shards of
/// records can be built independently (in parallel or in separate activities) and combined.
/// </summary>
public sealed class GraphSet
{
    private readonly Dictionary<string, CooccurrenceGraph> graphs = new(StringComparer.Ordinal);
    private readonly HashSet<string> excludedFields;

    public GraphSet(GraphOptions? options = null)
    {
        excludedFields = new HashSet<string>(options?.ExcludedFields ?? [], StringComparer.Ordinal);
    }

    /// <summary>The document types present, in ordinal order.</summary>
    public IReadOnlyList<string> DocumentTypes => graphs.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The graphs, ordered by document type.</summary>
    public IEnumerable<CooccurrenceGraph> Graphs => DocumentTypes.Select(t => graphs[t]);

    public int Count => graphs.Count;

    public long RecordCount => graphs.Values.Sum(g => g.RecordCount);

    public CooccurrenceGraph? this[string documentType] => graphs.GetValueOrDefault(documentType);

    public static GraphSet Build(IEnumerable<MetaInfoRecord> records, GraphOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        var set = new GraphSet(options);
        foreach (var record in records)
        {
            set.Add(record);
        }

        return set;
    }

    /// <summary>
    /// Builds from contiguous partitions on <paramref name="degreeOfParallelism"/> threads and merges the partial
    /// sets; the result equals <see cref="Build"/> over the same records.
    /// </summary>
    public static GraphSet BuildParallel(
        IReadOnlyList<MetaInfoRecord> records,
        GraphOptions? options = null,
        int degreeOfParallelism = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var partitions = degreeOfParallelism > 0 ? degreeOfParallelism : Environment.ProcessorCount;
        partitions = Math.Max(1, Math.Min(partitions, records.Count / 1024));
        if (partitions == 1)
        {
            return Build(records, options);
        }

        var partial = new GraphSet[partitions];
        Parallel.For(
            0,
            partitions,
            new ParallelOptions { MaxDegreeOfParallelism = partitions, CancellationToken = cancellationToken },
            p =>
            {
                var set = new GraphSet(options);
                var end = (int)((long)records.Count * (p + 1) / partitions);
                for (var i = (int)((long)records.Count * p / partitions); i < end; i++)
                {
                    if ((i & 0xFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    set.Add(records[i]);
                }

                partial[p] = set;
            });

        // Merge graph by graph in parallel too: document types are independent.
        var result = partial[0];
        var types = partial.SelectMany(s => s.graphs.Keys).Distinct(StringComparer.Ordinal).ToList();
        foreach (var type in types)
        {
            if (!result.graphs.ContainsKey(type))
            {
                result.graphs[type] = new CooccurrenceGraph(type);
            }
        }

        Parallel.ForEach(
            types,
            new ParallelOptions { MaxDegreeOfParallelism = partitions, CancellationToken = cancellationToken },
            type =>
            {
                var target = result.graphs[type];
                for (var p = 1; p < partial.Length; p++)
                {
                    if (partial[p].graphs.TryGetValue(type, out var graph))
                    {
                        target.Merge(graph);
                    }
                }
            });
        return result;
    }

    /// <summary>Adds a record to the graph of its document type (created on first use).</summary>
    public void Add(MetaInfoRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.DocumentType, nameof(record));
        if (!graphs.TryGetValue(record.DocumentType, out var graph))
        {
            graph = new CooccurrenceGraph(record.DocumentType);
            graphs.Add(record.DocumentType, graph);
        }

        graph.Add(record, excludedFields.Count == 0 ? null : excludedFields);
    }

    /// <summary>Adds another set's counts, graph by graph. Order and grouping do not matter.</summary>
    public void Merge(GraphSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var graph in other.Graphs.ToList())
        {
            Merge(graph);
        }
    }

    /// <summary>Adds one graph's counts to the graph of its document type.</summary>
    public void Merge(CooccurrenceGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (!graphs.TryGetValue(graph.DocumentType, out var mine))
        {
            mine = new CooccurrenceGraph(graph.DocumentType);
            graphs.Add(graph.DocumentType, mine);
        }

        mine.Merge(graph);
    }

    /// <summary>A pruned copy (see <see cref="CooccurrenceGraph.Prune"/>) using the options' thresholds.</summary>
    public GraphSet Prune(GraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Transform(g => g.Prune(options.MinNodeCount, options.MinEdgeCount));
    }

    /// <summary>
    /// A copy with values replaced by <paramref name="canonical"/>(documentType, field, value) (null keeps the
    /// value); see <see cref="CooccurrenceGraph.Remap"/>.
    /// </summary>
    public GraphSet Remap(Func<string, string, string, string?> canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        return Transform(g => g.Remap((field, value) => canonical(g.DocumentType, field, value)));
    }

    public bool ContentEquals(GraphSet? other)
        => other is not null
            && other.graphs.Count == graphs.Count
            && graphs.All(kv => kv.Value.ContentEquals(other[kv.Key]));

    public GraphSetDto ToDto() => new(Graphs.Select(g => g.ToDto()).ToList());

    public static GraphSet FromDto(GraphSetDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        var set = new GraphSet();
        foreach (var graph in dto.Graphs ?? [])
        {
            set.Merge(CooccurrenceGraph.FromDto(graph));
        }

        return set;
    }

    public string ToJson() => JsonSerializer.Serialize(ToDto(), WildLongJson.Options);

    /// <exception cref="JsonException">The text is not a graph-set DTO.</exception>
    public static GraphSet FromJson(string json)
        => FromDto(JsonSerializer.Deserialize<GraphSetDto>(json, WildLongJson.Options)
            ?? throw new JsonException("Graph set JSON is null."));

    private GraphSet Transform(Func<CooccurrenceGraph, CooccurrenceGraph> transform)
    {
        var result = new GraphSet();
        foreach (var field in excludedFields)
        {
            result.excludedFields.Add(field);
        }

        foreach (var (type, graph) in graphs)
        {
            result.graphs.Add(type, transform(graph));
        }

        return result;
    }
}
