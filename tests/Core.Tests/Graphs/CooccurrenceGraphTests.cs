using System.Text.Json;
using WildLong.Core.Graphs;
using static WildLong.Core.Tests.Graphs.GraphRecords;

namespace WildLong.Core.Tests.Graphs;

public class CooccurrenceGraphTests
{
    private static CooccurrenceGraph Build(params WildLong.Core.MetaInfo.MetaInfoRecord[] records)
    {
        var graph = new CooccurrenceGraph(records[0].DocumentType);
        foreach (var record in records)
        {
            graph.Add(record);
        }

        return graph;
    }

    [Fact]
    public void Counts_nodes_once_per_record_and_links_values_of_different_fields()
    {
        var graph = Build(
            Record("novel", F("task", "summarize", "summarize"), F("tone", "formal"), F("topic", "war", "love")),
            Record("novel", F("task", "summarize"), F("topic", "war")),
            Record("novel", F("task", "  "), F("tone", "formal")));

        Assert.Equal(3, graph.RecordCount);
        Assert.Equal(2, graph.GetNodeCount("task", "summarize"));   // duplicate value in one record counts once
        Assert.Equal(2, graph.GetNodeCount("tone", "formal"));
        Assert.Equal(0, graph.GetNodeCount("task", "  "));            // blank values are ignored
        Assert.Equal(4, graph.NodeCount);                             // summarize, formal, war, love
        Assert.Equal(2, graph.GetEdgeCount("task", "summarize", "topic", "war"));
        Assert.Equal(2, graph.GetEdgeCount("topic", "war", "task", "summarize")); // undirected
        Assert.Equal(1, graph.GetEdgeCount("tone", "formal", "topic", "love"));
        Assert.Equal(0, graph.GetEdgeCount("topic", "war", "topic", "love"));   // same field: not linked by design
        // Edges: summarize–formal, summarize–war, summarize–love, formal–war, formal–love.
        Assert.Equal(5, graph.EdgeCount);
    }

    [Fact]
    public void Rejects_a_record_of_another_document_type()
    {
        var graph = new CooccurrenceGraph("novel");
        Assert.Throws<ArgumentException>(() => graph.Add(Record("legal_contract", F("task", "x"))));
        Assert.Throws<ArgumentException>(() => graph.Merge(new CooccurrenceGraph("legal_contract")));
    }

    [Fact]
    public void Excluded_fields_are_left_out_by_graph_set()
    {
        var options = new GraphOptions();
        options.ExcludedFields.Add("tone");
        var set = GraphSet.Build([Record("novel", F("task", "a"), F("tone", "formal"))], options);

        var graph = set["novel"]!;
        Assert.Equal(1, graph.NodeCount);
        Assert.Equal(0, graph.GetNodeCount("tone", "formal"));
    }

    [Fact]
    public void Log_and_pmi_weights_match_hand_computation()
    {
        // N = 4; c(x) = 3, c(y) = 3, c(x,y) = 2, c(u) = 1, c(x,u) = 1.
        var graph = Build(
            Record("novel", F("a", "x"), F("b", "y"), F("c", "u")),
            Record("novel", F("a", "x"), F("b", "y")),
            Record("novel", F("a", "x")),
            Record("novel", F("b", "y")));

        Assert.Equal(Math.Log(3), graph.GetEdgeWeight("a", "x", "b", "y", EdgeWeighting.Log), 12);
        Assert.Equal(Math.Log(2), graph.GetEdgeWeight("a", "x", "c", "u", EdgeWeighting.Log), 12);
        // PMI(x,u) = log((1/4) / ((3/4)(1/4))) = log(4/3).
        Assert.Equal(Math.Log(4.0 / 3.0), graph.GetEdgeWeight("a", "x", "c", "u", EdgeWeighting.Pmi), 12);
        // PMI(x,y) = log((2/4) / ((3/4)(3/4))) = log(8/9) < 0, clipped to 0.
        Assert.Equal(0, graph.GetEdgeWeight("a", "x", "b", "y", EdgeWeighting.Pmi));
        Assert.Equal(2, graph.GetEdgeWeight("a", "x", "b", "y", EdgeWeighting.Count));
        Assert.Equal(0, graph.GetEdgeWeight("a", "x", "b", "nope"));
    }

    [Fact]
    public void Remap_merges_nodes_and_sums_node_and_edge_counts_exactly()
    {
        var graph = Build(
            Record("novel", F("city", "NYC"), F("task", "summarize")),
            Record("novel", F("city", "NYC"), F("task", "translate")),
            Record("novel", F("city", "New York"), F("task", "summarize"), F("tone", "formal")),
            Record("novel", F("city", "Paris"), F("task", "summarize")));

        var remapped = graph.Remap((field, value) => field == "city" && value == "NYC" ? "New York" : null);

        Assert.Equal(graph.RecordCount, remapped.RecordCount);
        Assert.Equal(3, remapped.GetNodeCount("city", "New York"));
        Assert.Equal(0, remapped.GetNodeCount("city", "NYC"));
        Assert.Equal(1, remapped.GetNodeCount("city", "Paris"));
        Assert.Equal(2, remapped.GetEdgeCount("city", "New York", "task", "summarize"));
        Assert.Equal(1, remapped.GetEdgeCount("city", "New York", "task", "translate"));
        Assert.Equal(1, remapped.GetEdgeCount("city", "New York", "tone", "formal"));
        Assert.Equal(graph.NodeCount - 1, remapped.NodeCount);
        Assert.Equal(graph.EdgeCount - 1, remapped.EdgeCount); // NYC–summarize folded into New York–summarize
        Assert.Equal(graph.Nodes.Sum(n => n.Count), remapped.Nodes.Sum(n => n.Count));
        Assert.Equal(graph.Edges.Sum(e => e.Count), remapped.Edges.Sum(e => e.Count));
        Assert.Equal(2, graph.GetNodeCount("city", "NYC")); // the source graph is untouched
    }

    [Fact]
    public void Remap_drops_an_edge_whose_endpoints_merge_into_one_node()
    {
        // Rows from storage may link two values of one field; merging them must not create a self-loop.
        var graph = CooccurrenceGraph.FromCounts(
            "novel",
            3,
            [new GraphNode("a", "x", 2), new GraphNode("a", "y", 1), new GraphNode("b", "z", 2)],
            [new GraphEdge("a", "x", "a", "y", 1), new GraphEdge("a", "x", "b", "z", 1), new GraphEdge("a", "y", "b", "z", 1)]);

        var merged = graph.Remap((_, v) => v == "y" ? "x" : null);

        Assert.Equal(3, merged.GetNodeCount("a", "x"));
        Assert.Equal(2, merged.GetEdgeCount("a", "x", "b", "z"));
        Assert.Equal(1, merged.EdgeCount);
        Assert.True(graph.Remap((_, _) => null).ContentEquals(graph));
    }

    [Fact]
    public void Prune_drops_rare_nodes_with_their_edges_and_rare_edges()
    {
        var graph = CooccurrenceGraph.FromCounts(
            "novel",
            10,
            [new GraphNode("a", "common", 9), new GraphNode("b", "common", 8), new GraphNode("c", "rare", 1), new GraphNode("d", "mid", 3)],
            [
                new GraphEdge("a", "common", "b", "common", 7),
                new GraphEdge("a", "common", "c", "rare", 1),
                new GraphEdge("a", "common", "d", "mid", 1),
                new GraphEdge("b", "common", "d", "mid", 3),
            ]);

        var pruned = graph.Prune(minNodeCount: 2, minEdgeCount: 2);

        Assert.Equal(3, pruned.NodeCount);
        Assert.Equal(0, pruned.GetNodeCount("c", "rare"));
        Assert.Equal(7, pruned.GetEdgeCount("a", "common", "b", "common"));
        Assert.Equal(0, pruned.GetEdgeCount("a", "common", "d", "mid")); // edge below threshold
        Assert.Equal(3, pruned.GetEdgeCount("b", "common", "d", "mid"));
        Assert.Equal(2, pruned.EdgeCount);
        Assert.Equal(10, pruned.RecordCount);
        Assert.True(graph.Prune(1, 1).ContentEquals(graph));
    }

    [Fact]
    public void Json_round_trip_preserves_content_and_is_byte_stable_across_build_orders()
    {
        var records = Synthetic(300);
        var forward = new CooccurrenceGraph("report");
        records.ForEach(forward.Add);
        var backward = new CooccurrenceGraph("report");
        for (var i = records.Count - 1; i >= 0; i--)
        {
            backward.Add(records[i]);
        }

        var json = forward.ToJson();
        var restored = CooccurrenceGraph.FromJson(json);

        Assert.True(restored.ContentEquals(forward));
        Assert.Equal(json, backward.ToJson());
        Assert.Contains("\"record_count\":300", json, StringComparison.Ordinal);
        Assert.Contains("\"field_a\"", json, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => CooccurrenceGraph.FromJson("null"));
    }

    [Fact]
    public void Dto_is_sorted_with_canonical_edge_endpoints()
    {
        var graph = new CooccurrenceGraph("report");
        Synthetic(200).ForEach(graph.Add);
        var dto = graph.ToDto();

        var nodeKeys = dto.Nodes.Select(n => n.Field + "\u0000" + n.Value).ToList();
        Assert.Equal(nodeKeys.Order(StringComparer.Ordinal), nodeKeys);
        Assert.All(dto.Edges, e => Assert.True(
            string.CompareOrdinal(e.FieldA, e.FieldB) < 0
            || (e.FieldA == e.FieldB && string.CompareOrdinal(e.ValueA, e.ValueB) < 0)));
        Assert.Equal(graph.EdgeCount, dto.Edges.Count);
        Assert.Equal(graph.EdgeCount, dto.Edges.Select(e => (e.FieldA, e.ValueA, e.FieldB, e.ValueB)).Distinct().Count());
    }

    [Fact]
    public void Tuple_rows_round_trip_and_are_additive()
    {
        var graph = new CooccurrenceGraph("report");
        Synthetic(250).ForEach(graph.Add);

        var rebuilt = CooccurrenceGraph.FromCounts("report", graph.RecordCount, graph.Nodes, graph.Edges, graph.Shape.ToBins(), graph.Signatures.ToRows(), false);
        Assert.True(rebuilt.ContentEquals(graph));
        // Node and edge rows alone lack the shape and record signatures, and content equality notices.
        Assert.False(CooccurrenceGraph.FromCounts("report", graph.RecordCount, graph.Nodes, graph.Edges).ContentEquals(graph));

        // Rows split in two halves (as two shards would store them), shuffled and with flipped endpoints, sum back.
        var halfNodes = graph.Nodes.SelectMany(n => n.Count > 1
            ? new[] { n with { Count = n.Count / 2 }, n with { Count = n.Count - (n.Count / 2) } }
            : [n]).Reverse();
        var flippedEdges = graph.Edges.Select(e => new GraphEdge(e.FieldB, e.ValueB, e.FieldA, e.ValueA, e.Count));
        var halfBins = graph.Shape.ToBins().SelectMany(b => b.Count > 1 ? new[] { b with { Count = b.Count / 2 }, b with { Count = b.Count - (b.Count / 2) } } : [b]).Reverse();
        var halfSignatures = graph.Signatures.ToRows().SelectMany(r => r.Count > 1 ? new[] { r with { Count = r.Count / 2 }, r with { Count = r.Count - (r.Count / 2) } } : [r]).Reverse();
        Assert.True(CooccurrenceGraph.FromCounts("report", graph.RecordCount, halfNodes, flippedEdges, halfBins, halfSignatures, false).ContentEquals(graph));
    }

    [Fact]
    public void From_counts_rejects_rows_that_cannot_be_a_graph()
    {
        GraphNode[] nodes = [new("a", "x", 1), new("b", "y", 1)];
        Assert.Throws<ArgumentException>(() =>
            CooccurrenceGraph.FromCounts("novel", 1, nodes, [new GraphEdge("a", "x", "b", "missing", 1)]));
        Assert.Throws<ArgumentException>(() =>
            CooccurrenceGraph.FromCounts("novel", 1, nodes, [new GraphEdge("a", "x", "a", "x", 1)]));
        Assert.ThrowsAny<ArgumentException>(() =>
            CooccurrenceGraph.FromCounts("novel", 1, [new GraphNode("a", "x", 0)], []));
    }

    [Fact]
    public void Content_equality_notices_any_difference()
    {
        var records = Synthetic(100);
        var graph = new CooccurrenceGraph("report");
        records.ForEach(graph.Add);
        var same = new CooccurrenceGraph("report");
        records.ForEach(same.Add);
        var oneMore = new CooccurrenceGraph("report");
        records.ForEach(oneMore.Add);
        oneMore.Add(records[0]);
        var edgeDiffers = CooccurrenceGraph.FromCounts(
            "report", graph.RecordCount, graph.Nodes, graph.Edges.Select((e, i) => i == 0 ? e with { Count = e.Count + 1 } : e));

        Assert.True(graph.ContentEquals(same));
        Assert.False(graph.ContentEquals(oneMore));
        Assert.False(graph.ContentEquals(edgeDiffers));
        Assert.False(graph.ContentEquals(null));
    }

    [Fact]
    public void Merging_a_graph_into_itself_doubles_every_count()
    {
        var graph = new CooccurrenceGraph("report");
        Synthetic(50).ForEach(graph.Add);
        var expected = CooccurrenceGraph.FromCounts(
            "report",
            graph.RecordCount * 2,
            graph.Nodes.Select(n => n with { Count = n.Count * 2 }),
            graph.Edges.Select(e => e with { Count = e.Count * 2 }),
            graph.Shape.ToBins().Select(b => b with { Count = b.Count * 2 }),
            graph.Signatures.ToRows().Select(r => r with { Count = r.Count * 2 }),
            false);

        graph.Merge(graph);

        Assert.True(graph.ContentEquals(expected));
    }
}
