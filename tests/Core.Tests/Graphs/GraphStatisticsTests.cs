using WildLong.Core.Graphs;
using static WildLong.Core.Tests.Graphs.GraphRecords;

namespace WildLong.Core.Tests.Graphs;

public class GraphStatisticsTests
{
    private static InstructionPath Path(params (string Field, string Value)[] steps)
        => new("report", 0, steps.Select(s => new PathStep(s.Field, s.Value)).ToList());

    [Fact]
    public void The_recombination_rate_counts_paths_no_single_record_holds()
    {
        // Every pair of {t=a, f=x, s=u} co-occurs somewhere, but no record holds all three.
        var graph = new CooccurrenceGraph("report");
        graph.Add(Record("report", F("t", "a"), F("f", "x")));
        graph.Add(Record("report", F("f", "x"), F("s", "u")));
        graph.Add(Record("report", F("t", "a"), F("s", "u")));
        graph.Add(Record("report", F("t", "a", "b"), F("f", "y")));

        InstructionPath[] paths =
        [
            Path(("t", "a"), ("f", "x")),             // record 1
            Path(("t", "a"), ("t", "b"), ("f", "y")), // record 4 (a list field's two values)
            Path(("t", "b"), ("f", "y")),             // part of record 4
            Path(("t", "a"), ("f", "x"), ("s", "u")), // every pair seen, never together: recombined
            Path(("t", "b"), ("s", "u")),             // a pair never seen: recombined
        ];

        var stats = GraphStatistics.Compute(graph, paths);

        Assert.Equal(2 / 5.0, stats.RecombinationRate!.Value, 9);
        Assert.True(stats.RecombinationExact);
        Assert.Equal(4, stats.SignatureRecords);
        Assert.Equal(1 / 5.0, stats.NovelPairShare!.Value, 9); // only the last path has a pair without an edge
        Assert.Equal((1 + 1 + 1 + (2 / 3.0) + 0.5) / 5, stats.BestSingleRecordOverlap!.Value, 9);
        // Nodes a(3) b(1) x(2) y(1) u(2): two of five occur once.
        Assert.Equal((5, 2 / 5.0), (stats.Nodes, stats.SingletonNodeShare!.Value));
        Assert.Equal(new Dictionary<int, long> { [2] = 3, [3] = 1 }, stats.RecordLengths);
    }

    [Fact]
    public void Path_length_kl_is_zero_for_equal_histograms_and_matches_a_hand_computation()
    {
        var records = new Dictionary<int, long> { [1] = 2, [2] = 6 };
        Assert.Equal(0, GraphStatistics.PathLengthKlDivergence(records, records, 2), 12);

        // Support 1..3 with add-one smoothing: p = (1/7, 5/7, 1/7) from {1:0, 2:4}; q = (3/11, 7/11, 1/11).
        var paths = new Dictionary<int, long> { [2] = 4 };
        double[] p = [1 / 7.0, 5 / 7.0, 1 / 7.0];
        double[] q = [3 / 11.0, 7 / 11.0, 1 / 11.0];
        var expected = p.Zip(q).Sum(x => x.First * Math.Log(x.First / x.Second));
        Assert.Equal(expected, GraphStatistics.PathLengthKlDivergence(paths, records, 3), 12);
    }

    [Fact]
    public void Signatures_keep_a_bounded_sample_that_merges_exactly_in_any_order()
    {
        var records = Synthetic(400);
        var whole = new CooccurrenceGraph("report", signatureLimit: 25);
        records.ForEach(whole.Add);
        var a = new CooccurrenceGraph("report", signatureLimit: 25);
        var b = new CooccurrenceGraph("report", signatureLimit: 25);
        for (var i = records.Count - 1; i >= 0; i--)
        {
            (i % 3 == 0 ? a : b).Add(records[i]);
        }

        b.Merge(a);

        Assert.True(whole.Signatures.Truncated);
        Assert.Equal(25, whole.Signatures.Count);
        Assert.True(b.Signatures.ContentEquals(whole.Signatures));
        var stats = GraphStatistics.Compute(whole, [new InstructionPath("report", 0, [new PathStep("field0", "value0")])]);
        Assert.False(stats.RecombinationExact);

        // Rebuilt from its DTO, a truncated graph stays marked as such.
        Assert.True(CooccurrenceGraph.FromJson(whole.ToJson()).Signatures.Truncated);
    }

    [Fact]
    public void Remapping_values_remaps_the_signatures()
    {
        var graph = new CooccurrenceGraph("report");
        graph.Add(Record("report", F("t", "summarise"), F("f", "list")));
        graph.Add(Record("report", F("t", "summarize"), F("f", "list")));

        var merged = graph.Remap((field, value) => value == "summarise" ? "summarize" : null);

        var entry = Assert.Single(merged.Signatures.Entries());
        Assert.Equal(2, entry.Count);
        var stats = GraphStatistics.Compute(merged, [new InstructionPath("report", 0, [new PathStep("t", "summarize"), new PathStep("f", "list")])]);
        Assert.Equal(0, stats.RecombinationRate);
    }

    [Fact]
    public void Mass_coverage_sums_the_counts_of_the_nodes_and_edges_some_path_uses()
    {
        var graph = new CooccurrenceGraph("report");
        graph.Add(Record("report", F("t", "a"), F("f", "x")));
        graph.Add(Record("report", F("t", "a"), F("f", "y")));
        graph.Add(Record("report", F("t", "b"), F("f", "y")));

        // Node mass: a 2, b 1, x 1, y 2 = 6; edge mass: a-x 1, a-y 1, b-y 1 = 3. The paths use a, x, y (5) and a-x, a-y (2):
        // a path uses an edge when it holds both ends, and a node or edge used twice counts once.
        var stats = GraphStatistics.Compute(graph, [Path(("t", "a"), ("f", "x")), Path(("t", "a"), ("f", "y")), Path(("f", "x"), ("t", "a"))]);

        Assert.Equal(5.0 / 6, stats.NodeMassCoverage!.Value, 9);
        Assert.Equal(2.0 / 3, stats.EdgeMassCoverage!.Value, 9);
        Assert.Null(GraphStatistics.Compute(graph, []).NodeMassCoverage);
    }
}
