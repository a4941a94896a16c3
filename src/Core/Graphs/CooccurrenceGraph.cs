using System.Runtime.InteropServices;
using System.Text.Json;
using WildLong.Core.Common;
using WildLong.Core.MetaInfo;

namespace WildLong.Core.Graphs;

/// <summary>
/// Which meta-information values occur together, and how often, in the queries of one document type: the structure
/// instruction paths are sampled from. Counts are plain sums, so graphs built from separate shards merge into exactly
/// the graph of all records (in any order or grouping), which is what lets shards build in parallel.
/// </summary>
/// <remarks>
/// <para>Nodes are (field, value) pairs counted once per record; an edge joins two values of DIFFERENT fields found in
/// the same record and counts the records where both occur. Values of the same field are deliberately not linked:
/// a path holds at most one value per field, so such edges would never be followed, and they would cost time and
/// memory for every list-valued field. Duplicate values within a record count once; blank values are ignored.</para>
/// <para><see cref="Add(MetaInfoRecord)"/> and <see cref="Merge"/> mutate; <see cref="Prune"/> and
/// <see cref="Remap"/> return new graphs. Writing is not thread-safe (build one graph per shard and merge); once
/// writing is over, concurrent reads are safe.</para>
/// <para>Internally nodes are interned to int ids (one ordinal string dictionary per field) and an edge is a packed
/// ulong (smaller id in the high half). Counts live in <see cref="EdgeCountTable"/>, an open-addressing table built
/// for buffered "+1" updates; a record's pairs are written straight into its buffer without allocating.</para>
/// </remarks>
public sealed class CooccurrenceGraph
{
    /// <summary>The records whose increments size the edge buffer when <see cref="ExpectedRecords"/> is known.</summary>
    private const int SampleForExpectedRecords = 1024;

    private readonly Dictionary<string, FieldTable> fieldsByName = new(StringComparer.Ordinal);
    private readonly List<FieldTable> fields = [];
    private readonly List<int> nodeField = [];
    private readonly List<string> nodeValue = [];
    private readonly List<long> nodeCount = [];
    private readonly List<ulong> nodeHash = [];
    private readonly EdgeCountTable edges = new();
    private GraphShape shape = new();
    private RecordSignatures signatures;

    private long expectedRecords;

    // Per-record scratch (instances are single-threaded by contract).
    private int[] scratchIds = new int[64];
    private int[] scratchSegmentEnd = new int[64];
    private ulong[] scratchHashes = new ulong[64];

    /// <param name="documentType">The document type whose records the graph counts.</param>
    /// <param name="signatureLimit">The most distinct record value sets kept for the recombination rate (see
    /// <see cref="RecordSignatures"/>); every shard of one graph must use the same limit.</param>
    public CooccurrenceGraph(string documentType, int signatureLimit = RecordSignatures.DefaultLimit)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(documentType);
        DocumentType = documentType;
        signatures = new RecordSignatures(signatureLimit);
    }

    /// <summary>
    /// How many graph values the records held (empty for graphs read from counts that predate shapes). Kept as
    /// recorded: pruning and remapping do not change what the real records looked like.
    /// </summary>
    public GraphShape Shape => shape;

    /// <summary>The value sets of the records (bounded; see <see cref="RecordSignatures"/>).</summary>
    public RecordSignatures Signatures => signatures;

    public string DocumentType { get; }

    /// <summary>Records added (directly or through merged graphs); the N of PMI.</summary>
    public long RecordCount { get; private set; }

    public int NodeCount => nodeValue.Count;

    public int EdgeCount => edges.Count;

    /// <summary>The fields that have at least one node, in ordinal order.</summary>
    public IReadOnlyList<string> Fields => fields.Select(f => f.Name).Order(StringComparer.Ordinal).ToList();

    /// <summary>All nodes, in no particular order (use <see cref="ToDto"/> for a sorted form).</summary>
    public IEnumerable<GraphNode> Nodes
    {
        get
        {
            for (var i = 0; i < nodeValue.Count; i++)
            {
                yield return new GraphNode(fields[nodeField[i]].Name, nodeValue[i], nodeCount[i]);
            }
        }
    }

    /// <summary>All edges with canonically ordered endpoints, in no particular order.</summary>
    public IEnumerable<GraphEdge> Edges
    {
        get
        {
            foreach (var (key, count) in edges.Entries())
            {
                var (a, b) = Unpack(key);
                yield return MakeEdge(a, b, count);
            }
        }
    }

    /// <summary>Adds one record. Its document type must be this graph's.</summary>
    public void Add(MetaInfoRecord record) => Add(record, excludedFields: null);

    /// <summary>Adds one record, ignoring the given fields.</summary>
    public void Add(MetaInfoRecord record, IReadOnlySet<string>? excludedFields)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!string.Equals(record.DocumentType, DocumentType, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Record '{record.QueryId}' has document type '{record.DocumentType}', not '{DocumentType}'.", nameof(record));
        }

        RecordCount++;
        if (RecordCount == SampleForExpectedRecords + 1 && expectedRecords > RecordCount)
        {
            // The increments of the first records (this one's are not in yet), scaled to the records announced, with a
            // tenth to spare.
            edges.ExpectIncrements((long)(edges.PendingCount * 1.1 * expectedRecords / SampleForExpectedRecords));
        }

        if (record.Fields is null)
        {
            shape.AddRecord(0);
            signatures.Add([]);
            return;
        }

        var n = 0;
        if (record.Fields is Dictionary<string, IReadOnlyList<string>> concrete)
        {
            foreach (var (field, values) in concrete)
            {
                n = CollectField(field, values, excludedFields, n);
            }
        }
        else
        {
            foreach (var (field, values) in record.Fields)
            {
                n = CollectField(field, values, excludedFields, n);
            }
        }

        var ids = scratchIds;
        var segmentEnd = scratchSegmentEnd;
        var counts = CollectionsMarshal.AsSpan(nodeCount);
        for (var i = 0; i < n; i++)
        {
            counts[ids[i]]++;
        }

        var slots = edges.Reserve(n * (n - 1) / 2);
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            var a = ids[i];
            for (var j = segmentEnd[i]; j < n; j++)
            {
                slots[k++] = Pack(a, ids[j]);
            }
        }

        edges.Commit(k);
        RecordShapeAndSignature(n);
    }

    /// <summary>Adds another graph's counts to this one (same document type). Order and grouping do not matter.</summary>
    public void Merge(CooccurrenceGraph other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!string.Equals(other.DocumentType, DocumentType, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Cannot merge graph of '{other.DocumentType}' into '{DocumentType}'.", nameof(other));
        }

        MergeCore(other);
    }

    /// <summary>
    /// A copy labelled with another document type (same counts, shape and signatures): how rare types fold into
    /// "other" and how the all-types graph is pooled, without losing what the counts alone do not hold.
    /// </summary>
    public CooccurrenceGraph WithDocumentType(string documentType)
    {
        var copy = new CooccurrenceGraph(documentType, signatures.Limit);
        copy.MergeCore(this);
        return copy;
    }

    private void MergeCore(CooccurrenceGraph other)
    {
        if (ReferenceEquals(other, this))
        {
            other = FromDto(ToDto());
        }

        shape.Merge(other.shape);
        signatures.Merge(other.signatures);
        RecordCount += other.RecordCount;
        edges.EnsureCapacity(Math.Max(EdgeCount, other.EdgeCount));
        var map = new int[other.NodeCount];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = Intern(other.fields[other.nodeField[i]].Name, other.nodeValue[i]);
            nodeCount[map[i]] += other.nodeCount[i];
        }

        foreach (var (key, count) in other.edges.Entries())
        {
            var (a, b) = Unpack(key);
            edges.Add(Pack(map[a], map[b]), count);
        }
    }

    /// <summary>The number of records the value was extracted from (0 when absent).</summary>
    public long GetNodeCount(string field, string value) => TryGetId(field, value, out var id) ? nodeCount[id] : 0;

    /// <summary>The number of records holding both values (0 when absent or when both are the same node).</summary>
    public long GetEdgeCount(string fieldA, string valueA, string fieldB, string valueB)
    {
        if (!TryGetId(fieldA, valueA, out var a) || !TryGetId(fieldB, valueB, out var b) || a == b)
        {
            return 0;
        }

        return edges.TryGetValue(Pack(a, b), out var count) ? count : 0;
    }

    /// <summary>The sampling weight of the edge between two values (0 when there is no edge).</summary>
    public double GetEdgeWeight(string fieldA, string valueA, string fieldB, string valueB, EdgeWeighting weighting = EdgeWeighting.Log)
    {
        var count = GetEdgeCount(fieldA, valueA, fieldB, valueB);
        return count == 0
            ? 0
            : ComputeWeight(weighting, count, GetNodeCount(fieldA, valueA), GetNodeCount(fieldB, valueB), RecordCount);
    }

    /// <summary>
    /// The weight of an edge with <paramref name="edgeCount"/> co-occurrences between nodes seen
    /// <paramref name="countA"/> and <paramref name="countB"/> times among <paramref name="recordCount"/> records.
    /// </summary>
    public static double ComputeWeight(EdgeWeighting weighting, long edgeCount, long countA, long countB, long recordCount)
    {
        if (edgeCount <= 0)
        {
            return 0;
        }

        return weighting switch
        {
            EdgeWeighting.Log => Math.Log(1 + (double)edgeCount),
            EdgeWeighting.Count => edgeCount,
            EdgeWeighting.Pmi => countA <= 0 || countB <= 0 || recordCount <= 0
                ? 0
                : Math.Max(0, Math.Log((double)edgeCount * recordCount / ((double)countA * countB))),
            _ => throw new ArgumentOutOfRangeException(nameof(weighting), weighting, "Unknown edge weighting."),
        };
    }

    /// <summary>
    /// A copy without nodes counted fewer than <paramref name="minNodeCount"/> times (and their edges) and without
    /// edges counted fewer than <paramref name="minEdgeCount"/> times. Nodes left without edges are kept.
    /// </summary>
    public CooccurrenceGraph Prune(long minNodeCount, long minEdgeCount)
    {
        var result = new CooccurrenceGraph(DocumentType, signatures.Limit) { RecordCount = RecordCount, shape = shape.Clone(), signatures = signatures.Clone() };
        var map = new int[NodeCount];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = nodeCount[i] >= minNodeCount ? result.Intern(fields[nodeField[i]].Name, nodeValue[i]) : -1;
            if (map[i] >= 0)
            {
                result.nodeCount[map[i]] = nodeCount[i];
            }
        }

        foreach (var (key, count) in edges.Entries())
        {
            var (a, b) = Unpack(key);
            if (count >= minEdgeCount && map[a] >= 0 && map[b] >= 0)
            {
                result.edges.Add(Pack(map[a], map[b]), count);
            }
        }

        return result;
    }

    /// <summary>
    /// A copy in which every value is replaced by <paramref name="canonical"/>(field, value) (null keeps the value),
    /// merging nodes that map to the same value by summing their node and edge counts. An edge between two values
    /// that merge into one node disappears. Summing is exact for the counts as stored, but a record that held two
    /// merged values is then counted twice (the records are no longer available to tell).
    /// </summary>
    public CooccurrenceGraph Remap(Func<string, string, string?> canonical)
    {
        ArgumentNullException.ThrowIfNull(canonical);
        var result = new CooccurrenceGraph(DocumentType, signatures.Limit) { RecordCount = RecordCount, shape = shape.Clone() };
        var map = new int[NodeCount];
        var hashes = new Dictionary<ulong, ulong>();
        for (var i = 0; i < map.Length; i++)
        {
            var field = fields[nodeField[i]].Name;
            var value = canonical(field, nodeValue[i]);
            map[i] = result.Intern(field, string.IsNullOrWhiteSpace(value) ? nodeValue[i] : value);
            result.nodeCount[map[i]] += nodeCount[i];
            hashes[nodeHash[i]] = result.nodeHash[map[i]];
        }

        result.signatures = signatures.Remap(h => hashes.GetValueOrDefault(h, h));

        foreach (var (key, count) in edges.Entries())
        {
            var (a, b) = Unpack(key);
            if (map[a] != map[b])
            {
                result.edges.Add(Pack(map[a], map[b]), count);
            }
        }

        return result;
    }

    /// <summary>True when both graphs hold the same document type, record count, nodes and edges with equal counts.</summary>
    public bool ContentEquals(CooccurrenceGraph? other)
    {
        if (other is null
            || !string.Equals(other.DocumentType, DocumentType, StringComparison.Ordinal)
            || other.RecordCount != RecordCount
            || other.NodeCount != NodeCount
            || other.EdgeCount != EdgeCount
            || !other.shape.ContentEquals(shape)
            || !other.signatures.ContentEquals(signatures))
        {
            return false;
        }

        var map = new int[other.NodeCount];
        for (var i = 0; i < map.Length; i++)
        {
            if (!TryGetId(other.fields[other.nodeField[i]].Name, other.nodeValue[i], out map[i]) || nodeCount[map[i]] != other.nodeCount[i])
            {
                return false;
            }
        }

        foreach (var (key, count) in other.edges.Entries())
        {
            var (a, b) = Unpack(key);
            if (!edges.TryGetValue(Pack(map[a], map[b]), out var mine) || mine != count)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The counts as sorted plain rows, independent of how the graph was built.</summary>
    public CooccurrenceGraphDto ToDto()
    {
        var rank = CanonicalRanks(out var order);
        var nodes = new GraphNode[order.Length];
        for (var r = 0; r < order.Length; r++)
        {
            var id = order[r];
            nodes[r] = new GraphNode(fields[nodeField[id]].Name, nodeValue[id], nodeCount[id]);
        }

        var edgeCount = edges.Count;
        var keys = new ulong[edgeCount];
        var counts = new long[edgeCount];
        var k = 0;
        foreach (var (key, count) in edges.Entries())
        {
            var (a, b) = Unpack(key);
            var (ra, rb) = (rank[a], rank[b]);
            keys[k] = ra < rb ? ((ulong)ra << 32) | (uint)rb : ((ulong)rb << 32) | (uint)ra;
            counts[k++] = count;
        }

        Array.Sort(keys, counts);
        var rows = new GraphEdge[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var a = nodes[(int)(keys[i] >> 32)];
            var b = nodes[(int)(uint)keys[i]];
            rows[i] = new GraphEdge(a.Field, a.Value, b.Field, b.Value, counts[i]);
        }

        return new CooccurrenceGraphDto(
            DocumentType,
            RecordCount,
            nodes,
            rows,
            shape.IsEmpty ? null : shape.ToBins(),
            signatures.Count == 0 ? null : signatures.ToRows(),
            signatures.Truncated ? true : null);
    }

    /// <summary>Rebuilds a graph from its DTO.</summary>
    public static CooccurrenceGraph FromDto(CooccurrenceGraphDto dto)
    {
        ArgumentNullException.ThrowIfNull(dto);
        return FromCounts(dto.DocumentType, dto.RecordCount, dto.Nodes ?? [], dto.Edges ?? [], dto.Shape, dto.Signatures, dto.SignaturesTruncated ?? false);
    }

    /// <summary>
    /// Builds a graph from plain count rows (e.g. read back from table storage). Rows are additive: repeated rows for
    /// the same node or edge are summed, in any order, and edge endpoints may be given in either order.
    /// </summary>
    /// <exception cref="ArgumentException">A count is not positive, an edge joins a node to itself or to a node
    /// that has no node row.</exception>
    public static CooccurrenceGraph FromCounts(string documentType, long recordCount, IEnumerable<GraphNode> nodes, IEnumerable<GraphEdge> edges)
        => FromCounts(documentType, recordCount, nodes, edges, shape: null, signatures: null, signaturesTruncated: false);

    /// <summary>
    /// Builds a graph from plain count rows including its shape and record signatures (all additive; see
    /// <see cref="FromCounts(string, long, IEnumerable{GraphNode}, IEnumerable{GraphEdge})"/>). Rows without shape
    /// or signatures (graphs stored before they existed) give an empty shape and no signatures.
    /// </summary>
    /// <exception cref="ArgumentException">A count is not positive, an edge joins a node to itself or to a node
    /// that has no node row, a shape row is malformed, or a signature names a malformed hash.</exception>
    public static CooccurrenceGraph FromCounts(
        string documentType,
        long recordCount,
        IEnumerable<GraphNode> nodes,
        IEnumerable<GraphEdge> edges,
        IEnumerable<GraphShapeBin>? shape,
        IEnumerable<GraphRecordSignature>? signatures,
        bool signaturesTruncated,
        int signatureLimit = RecordSignatures.DefaultLimit)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(edges);
        ArgumentOutOfRangeException.ThrowIfNegative(recordCount);
        var signatureRows = signatures?.ToList() ?? [];
        var graph = new CooccurrenceGraph(documentType, Math.Max(signatureLimit, signatureRows.Count)) { RecordCount = recordCount };
        try
        {
            graph.shape = GraphShape.FromBins(shape);
            foreach (var row in signatureRows)
            {
                graph.signatures.Add(row);
            }
        }
        catch (FormatException error)
        {
            throw new ArgumentException(error.Message, nameof(signatures), error);
        }

        if (signaturesTruncated)
        {
            graph.signatures.MarkTruncated();
        }
        foreach (var node in nodes)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(node.Count, nameof(nodes));
            var id = graph.Intern(node.Field, node.Value);
            graph.nodeCount[id] += node.Count;
        }

        foreach (var edge in edges)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(edge.Count, nameof(edges));
            if (!graph.TryGetId(edge.FieldA, edge.ValueA, out var a) || !graph.TryGetId(edge.FieldB, edge.ValueB, out var b))
            {
                throw new ArgumentException(
                    $"Edge {edge.FieldA}={edge.ValueA} -- {edge.FieldB}={edge.ValueB} names a node without a node row.", nameof(edges));
            }

            if (a == b)
            {
                throw new ArgumentException($"Edge {edge.FieldA}={edge.ValueA} joins a node to itself.", nameof(edges));
            }

            graph.edges.Add(Pack(a, b), edge.Count);
        }

        return graph;
    }

    public string ToJson() => JsonSerializer.Serialize(ToDto(), WildLongJson.Options);

    /// <exception cref="JsonException">The text is not a graph DTO.</exception>
    public static CooccurrenceGraph FromJson(string json)
        => FromDto(JsonSerializer.Deserialize<CooccurrenceGraphDto>(json, WildLongJson.Options)
            ?? throw new JsonException("Graph JSON is null."));

    /// <summary>
    /// Counts the buffered edge increments now and frees their buffer (up to 256 MB): a builder done with this graph
    /// calls it, so finished graphs do not hold buffers while others are built. Any read does the same.
    /// </summary>
    internal void FlushEdges() => edges.Flush(reportPressure: false);

    /// <summary>
    /// How many records the builder will add (0: unknown): after the first <see cref="SampleForExpectedRecords"/> the
    /// edge buffer is sized for all of them at once (see <see cref="EdgeCountTable.ExpectIncrements"/>), and the
    /// record signatures' table is sized now. Only a size: a wrong figure costs memory or doublings, never counts.
    /// </summary>
    internal long ExpectedRecords
    {
        get => expectedRecords;
        set
        {
            expectedRecords = Math.Max(0, value);
            signatures.EnsureCapacity(expectedRecords);
        }
    }

    /// <summary>The builder's buffer pool the edge table uses while this graph is built (see
    /// <see cref="EdgeCountTable.Buffers"/>); cleared before the graph is shared.</summary>
    internal NativeBufferPool? EdgeBuffers
    {
        get => edges.Buffers;
        set => edges.Buffers = value;
    }

    internal string FieldOf(int id) => fields[nodeField[id]].Name;

    internal string ValueOf(int id) => nodeValue[id];

    internal long CountOf(int id) => nodeCount[id];

    /// <summary>The edge table itself, for bulk readers (the sampling index); keys unpack with <see cref="UnpackKey"/>.</summary>
    internal EdgeCountTable EdgeTable => edges;

    internal static (int A, int B) UnpackKey(ulong key) => Unpack(key);

    /// <summary>The count of the edge between two internal ids (0 when absent).</summary>
    internal long GetEdgeCount(int a, int b) => a != b && edges.TryGetValue(Pack(a, b), out var count) ? count : 0;

    /// <summary>Raw edges as (node id, node id, count) with internal ids.</summary>
    internal IEnumerable<(int A, int B, long Count)> RawEdges()
    {
        foreach (var (key, count) in edges.Entries())
        {
            var (a, b) = Unpack(key);
            yield return (a, b, count);
        }
    }

    /// <summary>For each internal id its rank in (field, value) ordinal order; <paramref name="order"/> is the inverse.</summary>
    internal int[] CanonicalRanks(out int[] order)
    {
        order = new int[NodeCount];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (x, y) =>
        {
            var c = string.CompareOrdinal(fields[nodeField[x]].Name, fields[nodeField[y]].Name);
            return c != 0 ? c : string.CompareOrdinal(nodeValue[x], nodeValue[y]);
        });
        var rank = new int[order.Length];
        for (var r = 0; r < order.Length; r++)
        {
            rank[order[r]] = r;
        }

        return rank;
    }

    internal ulong HashOf(int id) => nodeHash[id];

    /// <summary>Counts the shape and value set of the record whose <paramref name="n"/> node ids are in the scratch buffers.</summary>
    private void RecordShapeAndSignature(int n)
    {
        shape.AddRecord(n);
        if (scratchHashes.Length < scratchIds.Length)
        {
            scratchHashes = new ulong[scratchIds.Length];
        }

        for (var i = 0; i < n;)
        {
            var end = scratchSegmentEnd[i];
            shape.AddField(fields[nodeField[scratchIds[i]]].Name, end - i);
            for (; i < end; i++)
            {
                scratchHashes[i] = nodeHash[scratchIds[i]];
            }
        }

        signatures.Add(scratchHashes.AsSpan(0, n));
    }

    private int CollectField(string field, IReadOnlyList<string>? values, IReadOnlySet<string>? excludedFields, int n)
    {
        if (values is null || values.Count == 0 || string.IsNullOrEmpty(field) || (excludedFields is not null && excludedFields.Contains(field)))
        {
            return n;
        }

        var table = GetOrAddField(field);
        var segmentStart = n;
        for (var v = 0; v < values.Count; v++)
        {
            // A value seen before is known not to be blank: only a new one is checked (and interned).
            var value = values[v];
            if (value is null)
            {
                continue;
            }

            if (!table.Ids.TryGetValue(value, out var id))
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    continue;
                }

                id = Intern(table, value);
            }

            if (Array.IndexOf(scratchIds, id, segmentStart, n - segmentStart) >= 0)
            {
                continue;
            }

            if (n == scratchIds.Length)
            {
                Array.Resize(ref scratchIds, n * 2);
                Array.Resize(ref scratchSegmentEnd, n * 2);
            }

            scratchIds[n++] = id;
        }

        for (var i = segmentStart; i < n; i++)
        {
            scratchSegmentEnd[i] = n;
        }

        return n;
    }

    private GraphEdge MakeEdge(int a, int b, long count)
    {
        var (fa, va, fb, vb) = (fields[nodeField[a]].Name, nodeValue[a], fields[nodeField[b]].Name, nodeValue[b]);
        var c = string.CompareOrdinal(fa, fb);
        if (c > 0 || (c == 0 && string.CompareOrdinal(va, vb) > 0))
        {
            (fa, va, fb, vb) = (fb, vb, fa, va);
        }

        return new GraphEdge(fa, va, fb, vb, count);
    }

    private bool TryGetId(string field, string value, out int id)
    {
        id = -1;
        return field is not null && value is not null
            && fieldsByName.TryGetValue(field, out var table) && table.Ids.TryGetValue(value, out id);
    }

    private FieldTable GetOrAddField(string field)
    {
        if (!fieldsByName.TryGetValue(field, out var table))
        {
            table = new FieldTable(field, fields.Count);
            fieldsByName.Add(field, table);
            fields.Add(table);
        }

        return table;
    }

    private int Intern(string field, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return Intern(GetOrAddField(field), value);
    }

    private int Intern(FieldTable table, string value)
    {
        ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(table.Ids, value, out var exists);
        if (!exists)
        {
            id = nodeValue.Count;
            nodeField.Add(table.Index);
            nodeValue.Add(value);
            nodeCount.Add(0);
            nodeHash.Add(RecordSignatures.NodeHash(table.Name, value));
        }

        return id;
    }

    private static ulong Pack(int a, int b)
        => a < b ? ((ulong)(uint)a << 32) | (uint)b : ((ulong)(uint)b << 32) | (uint)a;

    private static (int A, int B) Unpack(ulong key) => ((int)(key >> 32), (int)(uint)key);

    private sealed class FieldTable(string name, int index)
    {
        public string Name { get; } = name;

        public int Index { get; } = index;

        public Dictionary<string, int> Ids { get; } = new(StringComparer.Ordinal);
    }
}
