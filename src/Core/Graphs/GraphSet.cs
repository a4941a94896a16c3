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
    /// <summary>The document type name of the graph pooled over all types (not a valid taxonomy name).</summary>
    public const string AllTypes = "*";

    private readonly HashSet<string> excludedFields;
    private readonly int signatureLimit;

    public GraphSet(GraphOptions? options = null)
    {
        excludedFields = new HashSet<string>(options?.ExcludedFields ?? [], StringComparer.Ordinal);
        signatureLimit = options?.MaxRecordSignatures ?? RecordSignatures.DefaultLimit;
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
    /// Builds on <paramref name="degreeOfParallelism"/> threads (0: one per processor); the result equals
    /// <see cref="Build"/> over the same records. Records are grouped by document type (in parallel); a type holding
    /// more than a thread's fair share is split into chunks. Work units are taken largest first by whichever thread is
    /// free, each unit is built into its own graph, and the chunks of a split type are merged. Types are independent,
    /// so most units need no merge at all.
    /// </summary>
    public static GraphSet BuildParallel(
        IReadOnlyList<MetaInfoRecord> records,
        GraphOptions? options = null,
        int degreeOfParallelism = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var workers = degreeOfParallelism > 0 ? degreeOfParallelism : Environment.ProcessorCount;
        if (workers == 1 || records.Count < 4096)
        {
            return Build(records, options);
        }

        var byType = GroupByType(records, workers, cancellationToken);

        // Work units: (type, slice of its record indices), at most a fair share each.
        var share = (records.Count + workers - 1) / workers;
        var units = new List<(string Type, int[] Indices, int From, int To)>();
        foreach (var (type, indices) in byType.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var chunks = (indices.Length + share - 1) / share;
            for (var c = 0; c < chunks; c++)
            {
                units.Add((type, indices, (int)((long)indices.Length * c / chunks), (int)((long)indices.Length * (c + 1) / chunks)));
            }
        }

        // Largest first, each to the first thread free: a thread's first unit is its largest, so the buffers of that
        // unit serve all its later ones, and the threads end within the last (smallest) unit of each other.
        var order = Enumerable.Range(0, units.Count).OrderByDescending(u => units[u].To - units[u].From).ThenBy(u => u).ToArray();
        var taken = -1;
        var excluded = new HashSet<string>(options?.ExcludedFields ?? [], StringComparer.Ordinal);
        var built = new CooccurrenceGraph[units.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken };
        Parallel.For(0, workers, parallel, _ =>
        {
            using var buffers = new NativeBufferPool();
            for (var next = Interlocked.Increment(ref taken); next < order.Length; next = Interlocked.Increment(ref taken))
            {
                var u = order[next];
                var (type, indices, from, to) = units[u];
                var graph = new CooccurrenceGraph(type, options?.MaxRecordSignatures ?? RecordSignatures.DefaultLimit)
                {
                    EdgeBuffers = buffers,
                    ExpectedRecords = to - from,
                };
                for (var i = from; i < to; i++)
                {
                    if ((i & 0xFFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    graph.Add(records[indices[i]], excluded.Count == 0 ? null : excluded);
                }

                // Counted on this thread, and the unit's buffer handed to the next unit.
                graph.FlushEdges();
                graph.EdgeBuffers = null;
                built[u] = graph;
            }
        });

        var result = new GraphSet(options);
        var groups = Enumerable.Range(0, units.Count).GroupBy(u => units[u].Type, StringComparer.Ordinal).ToList();
        foreach (var group in groups)
        {
            result.graphs.Add(group.Key, built[group.First()]);
        }

        Parallel.ForEach(groups.Where(g => g.Count() > 1), parallel, group =>
        {
            var target = built[group.First()];
            foreach (var u in group.Skip(1))
            {
                target.Merge(built[u]);
            }
        });
        return result;
    }

    /// <summary>
    /// The record indices of each document type, in ascending order, gathered on <paramref name="workers"/> threads
    /// (each a contiguous range; the ranges' lists are joined in order). A record without a type is refused, the first
    /// one by index, on the calling thread.
    /// </summary>
    private static Dictionary<string, int[]> GroupByType(IReadOnlyList<MetaInfoRecord> records, int workers, CancellationToken cancellationToken)
    {
        var parts = new Dictionary<string, List<int>>[workers];
        var invalid = new int[workers];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken }, w =>
        {
            var part = parts[w] = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            invalid[w] = int.MaxValue;
            var (from, to) = ((int)((long)records.Count * w / workers), (int)((long)records.Count * (w + 1) / workers));
            for (var i = from; i < to; i++)
            {
                var type = records[i]?.DocumentType;
                if (string.IsNullOrWhiteSpace(type))
                {
                    invalid[w] = i;
                    return;
                }

                if (!part.TryGetValue(type, out var list))
                {
                    part.Add(type, list = []);
                }

                list.Add(i);
            }
        });

        var firstInvalid = invalid.Min(); // int.MaxValue: every record has a type
        if (firstInvalid < records.Count)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(records[firstInvalid]?.DocumentType, nameof(records));
        }

        return parts.SelectMany(p => p.Keys).Distinct(StringComparer.Ordinal).ToDictionary(
            type => type,
            type => parts.SelectMany(p => p.TryGetValue(type, out var list) ? list : []).ToArray(),
            StringComparer.Ordinal);
    }

    /// <summary>Adds a record to the graph of its document type (created on first use).</summary>
    public void Add(MetaInfoRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.DocumentType, nameof(record));
        if (!graphs.TryGetValue(record.DocumentType, out var graph))
        {
            graph = new CooccurrenceGraph(record.DocumentType, signatureLimit);
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
            mine = new CooccurrenceGraph(graph.DocumentType, Math.Max(signatureLimit, graph.Signatures.Limit));
            graphs.Add(graph.DocumentType, mine);
        }

        mine.Merge(graph);
    }

    /// <summary>
    /// One graph over the records of every type (named <see cref="AllTypes"/>): what a type without enough records
    /// of its own borrows from. Every type counts, including types no document has. Null when the set is empty.
    /// </summary>
    public CooccurrenceGraph? Pool()
    {
        CooccurrenceGraph? pooled = null;
        foreach (var graph in Graphs)
        {
            var relabelled = graph.WithDocumentType(AllTypes);
            if (pooled is null)
            {
                pooled = relabelled;
            }
            else
            {
                pooled.Merge(relabelled);
            }
        }

        return pooled;
    }

    /// <summary>
    /// A copy in which each type is renamed by <paramref name="fold"/> (types it does not name keep their name) and
    /// graphs that get the same name are merged — e.g. rare types folded into "other". Shapes and record
    /// signatures travel with the counts (rebuilding from node and edge rows would lose them).
    /// </summary>
    public GraphSet FoldTypes(IReadOnlyDictionary<string, string> fold)
    {
        ArgumentNullException.ThrowIfNull(fold);
        var result = new GraphSet();
        result.excludedFields.UnionWith(excludedFields);
        foreach (var graph in Graphs)
        {
            var target = fold.GetValueOrDefault(graph.DocumentType, graph.DocumentType);
            result.Merge(target == graph.DocumentType ? graph : graph.WithDocumentType(target));
        }

        return result;
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
