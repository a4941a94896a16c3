namespace WildLong.Core.Graphs;

/// <summary>
/// Whether one document type's graph recombines: its size, how many of its values occur once, and — over the paths
/// sampled from it — how many paths no single real record contains, and how far path lengths are from record
/// lengths. Definitions follow docs/quality-metrics.md; every figure comes with the count it was computed over.
/// </summary>
/// <param name="DocumentType">The type the paths were planned for.</param>
/// <param name="Source">Whether the type sampled its own graph, blended or borrowed.</param>
/// <param name="SourceGraph">The type of the graph sampled (<see cref="GraphSet.AllTypes"/> for all types).</param>
/// <param name="Records">Records of the sampled graph (the type's own graph when blended).</param>
/// <param name="Nodes">Nodes of the sampled graph.</param>
/// <param name="Edges">Edges of the sampled graph.</param>
/// <param name="SingletonNodeShare">Share of nodes counted in exactly one record (null without nodes).</param>
/// <param name="Paths">Paths the path figures are computed over.</param>
/// <param name="RecombinationRate">Share of paths that no single record holds entirely (null without paths or
/// record signatures).</param>
/// <param name="RecombinationExact">False when the record signatures were a bounded sample, so the rate is an
/// upper bound.</param>
/// <param name="SignatureRecords">Records covered by the signatures the rate was checked against.</param>
/// <param name="BestSingleRecordOverlap">Mean over paths of the largest share of a path's values one record holds.</param>
/// <param name="NovelPairShare">Share of paths holding two values (of different fields) that no record holds
/// together: a lower bound of the recombination rate that needs only the edge counts.</param>
/// <param name="PathLengthKl">KL(paths ‖ records) of the number of values, over 1..K with add-one smoothing
/// (null without paths or a record shape).</param>
/// <param name="PathLengths">Paths by number of values.</param>
/// <param name="RecordLengths">Records of the followed shape by number of graph values (≥ 1).</param>
/// <param name="NodeMassCoverage">Σ count of the nodes at least one path uses ÷ Σ count of all nodes (null without
/// paths or nodes).</param>
/// <param name="EdgeMassCoverage">Σ count of the edges at least one path uses (both ends in the path) ÷ Σ count of all
/// edges (null without paths or edges).</param>
public sealed record GraphStatistics(
    string DocumentType,
    GraphSourceKind Source,
    string SourceGraph,
    long Records,
    int Nodes,
    int Edges,
    double? SingletonNodeShare,
    int Paths,
    double? RecombinationRate,
    bool RecombinationExact,
    long SignatureRecords,
    double? BestSingleRecordOverlap,
    double? NovelPairShare,
    double? PathLengthKl,
    IReadOnlyDictionary<int, long> PathLengths,
    IReadOnlyDictionary<int, long> RecordLengths,
    double? NodeMassCoverage = null,
    double? EdgeMassCoverage = null)
{
    /// <summary>The figures of a type's own graph over <paramref name="paths"/> sampled from it.</summary>
    public static GraphStatistics Compute(CooccurrenceGraph graph, IReadOnlyList<InstructionPath> paths)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return Compute(graph.DocumentType, GraphSourceKind.Own, graph.DocumentType, graph, graph.Shape, paths);
    }

    /// <summary>The figures of a resolved source over <paramref name="paths"/> sampled from it.</summary>
    public static GraphStatistics Compute(GraphSource source, IReadOnlyList<InstructionPath> paths)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Compute(source.DocumentType, source.Kind, source.Borrowing?.Kind == GraphSourceKind.Borrowed ? source.Borrowing.Source : source.DocumentType,
            source.Graph, source.Shape, paths);
    }

    /// <summary>
    /// KL(p ‖ q) between two histograms of lengths, over 1..max(<paramref name="minSupport"/>, longest length seen)
    /// with add-one smoothing (natural logarithm). Lengths below 1 are ignored.
    /// </summary>
    public static double PathLengthKlDivergence(IReadOnlyDictionary<int, long> p, IReadOnlyDictionary<int, long> q, int minSupport)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        var support = Math.Max(minSupport, Math.Max(p.Keys.DefaultIfEmpty(0).Max(), q.Keys.DefaultIfEmpty(0).Max()));
        support = Math.Max(1, support);
        double pTotal = p.Where(kv => kv.Key >= 1).Sum(kv => kv.Value) + support;
        double qTotal = q.Where(kv => kv.Key >= 1).Sum(kv => kv.Value) + support;
        double kl = 0;
        for (var k = 1; k <= support; k++)
        {
            var pk = (p.GetValueOrDefault(k) + 1) / pTotal;
            var qk = (q.GetValueOrDefault(k) + 1) / qTotal;
            kl += pk * Math.Log(pk / qk);
        }

        return kl;
    }

    private static GraphStatistics Compute(
        string documentType,
        GraphSourceKind kind,
        string sourceGraph,
        CooccurrenceGraph graph,
        GraphShape shape,
        IReadOnlyList<InstructionPath> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var nodes = graph.Nodes.ToList();
        var singletons = nodes.Count(n => n.Count == 1);
        var pathLengths = paths.GroupBy(p => p.Steps.Count).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => (long)g.Count());
        var recordLengths = shape.Lengths.Where(kv => kv.Key >= 1).ToDictionary(kv => kv.Key, kv => kv.Value);
        double? kl = paths.Count == 0 || recordLengths.Count == 0
            ? null
            : PathLengthKlDivergence(pathLengths, recordLengths, graph.Fields.Count);

        var index = new SignatureIndex(graph.Signatures);
        int contained = 0, novelPairs = 0;
        double overlapSum = 0;
        foreach (var path in paths)
        {
            var hashes = path.Steps.Select(s => RecordSignatures.NodeHash(s.Field, s.Value)).Distinct().ToArray();
            var (holds, overlap) = index.Check(hashes);
            contained += holds ? 1 : 0;
            overlapSum += overlap;
            novelPairs += HasNovelPair(graph, path) ? 1 : 0;
        }

        var (nodeCoverage, edgeCoverage) = MassCoverage(graph, nodes, paths);
        var usable = paths.Count > 0 && index.RecordCount > 0;
        return new GraphStatistics(
            documentType,
            kind,
            sourceGraph,
            graph.RecordCount,
            nodes.Count,
            graph.EdgeCount,
            nodes.Count == 0 ? null : (double)singletons / nodes.Count,
            paths.Count,
            usable ? 1 - ((double)contained / paths.Count) : null,
            !graph.Signatures.Truncated,
            index.RecordCount,
            usable ? overlapSum / paths.Count : null,
            paths.Count == 0 ? null : (double)novelPairs / paths.Count,
            kl,
            pathLengths,
            recordLengths,
            nodeCoverage,
            edgeCoverage);
    }

    /// <summary>The node and edge mass the paths use (docs/quality-metrics.md): an edge is used when a path holds both ends.</summary>
    private static (double? Nodes, double? Edges) MassCoverage(CooccurrenceGraph graph, List<GraphNode> nodes, IReadOnlyList<InstructionPath> paths)
    {
        if (paths.Count == 0)
        {
            return (null, null);
        }

        var usedNodes = new HashSet<(string, string)>();
        var usedEdges = new HashSet<(string, string, string, string)>();
        long usedNodeMass = 0, usedEdgeMass = 0;
        foreach (var path in paths)
        {
            var steps = path.Steps.Select(s => (s.Field, s.Value)).Distinct().ToArray();
            foreach (var step in steps)
            {
                if (usedNodes.Add(step))
                {
                    usedNodeMass += graph.GetNodeCount(step.Field, step.Value);
                }
            }

            for (var i = 0; i < steps.Length; i++)
            {
                for (var j = i + 1; j < steps.Length; j++)
                {
                    var order = string.CompareOrdinal(steps[i].Field, steps[j].Field);
                    var (a, b) = order < 0 || (order == 0 && string.CompareOrdinal(steps[i].Value, steps[j].Value) < 0) ? (steps[i], steps[j]) : (steps[j], steps[i]);
                    var count = graph.GetEdgeCount(a.Field, a.Value, b.Field, b.Value);
                    if (count > 0 && usedEdges.Add((a.Field, a.Value, b.Field, b.Value)))
                    {
                        usedEdgeMass += count;
                    }
                }
            }
        }

        var nodeMass = nodes.Sum(n => n.Count);
        var edgeMass = graph.Edges.Sum(e => e.Count);
        return (nodeMass == 0 ? null : (double)usedNodeMass / nodeMass, edgeMass == 0 ? null : (double)usedEdgeMass / edgeMass);
    }

    private static bool HasNovelPair(CooccurrenceGraph graph, InstructionPath path)
    {
        for (var i = 0; i < path.Steps.Count; i++)
        {
            for (var j = i + 1; j < path.Steps.Count; j++)
            {
                var (a, b) = (path.Steps[i], path.Steps[j]);
                if (a.Field != b.Field && graph.GetEdgeCount(a.Field, a.Value, b.Field, b.Value) == 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Node hash → the signatures holding it, to test containment and overlap without scanning all records.</summary>
    private sealed class SignatureIndex
    {
        private readonly List<ulong[]> sets = [];
        private readonly Dictionary<ulong, List<int>> postings = [];

        public SignatureIndex(RecordSignatures signatures)
        {
            foreach (var (nodes, count) in signatures.Entries())
            {
                var id = sets.Count;
                sets.Add(nodes);
                RecordCount += count;
                foreach (var node in nodes)
                {
                    if (!postings.TryGetValue(node, out var list))
                    {
                        postings.Add(node, list = []);
                    }

                    list.Add(id);
                }
            }
        }

        public long RecordCount { get; }

        /// <summary>Whether one record holds all of <paramref name="path"/>, and the largest share one record holds.</summary>
        public (bool Holds, double Overlap) Check(ulong[] path)
        {
            if (path.Length == 0)
            {
                return (true, 1);
            }

            var hits = new Dictionary<int, int>();
            var best = 0;
            foreach (var node in path)
            {
                if (!postings.TryGetValue(node, out var list))
                {
                    continue;
                }

                foreach (var id in list)
                {
                    var c = hits[id] = hits.GetValueOrDefault(id) + 1;
                    best = Math.Max(best, c);
                }
            }

            return (best == path.Length, (double)best / path.Length);
        }
    }
}
