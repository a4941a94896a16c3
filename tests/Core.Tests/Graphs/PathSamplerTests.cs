using WildLong.Core.Graphs;
using static WildLong.Core.Tests.Graphs.GraphRecords;

namespace WildLong.Core.Tests.Graphs;

public class PathSamplerTests
{
    private const ulong Seed = 20250224;

    private static CooccurrenceGraph SyntheticGraph(int records = 2000)
    {
        var graph = new CooccurrenceGraph("report");
        Synthetic(records).ForEach(graph.Add);
        return graph;
    }

    private static string Describe(InstructionPath? path)
        => path is null ? "null" : $"{path.Index}:" + string.Join(",", path.Steps.Select(s => s.Field + "=" + s.Value));

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.5)]
    [InlineData(0.5)]
    public void A_path_depends_only_on_seed_index_and_graph_content(double temperature)
    {
        var records = Synthetic(2000);
        var forward = new CooccurrenceGraph("report");
        records.ForEach(forward.Add);
        // Same content, built differently: reversed, in two shards merged the other way round.
        var shard1 = new CooccurrenceGraph("report");
        var shard2 = new CooccurrenceGraph("report");
        for (var i = records.Count - 1; i >= 0; i--)
        {
            (i % 2 == 0 ? shard1 : shard2).Add(records[i]);
        }

        shard2.Merge(shard1);
        var options = new SamplingOptions { Temperature = temperature };
        var sampler = new PathSampler(forward, options);
        var other = new PathSampler(shard2, options);
        var indices = Enumerable.Range(0, 500).Select(i => (long)i).ToList();

        var sequential = indices.Select(i => Describe(sampler.Sample(i, Seed))).ToList();
        var reversed = indices.AsEnumerable().Reverse().Select(i => Describe(sampler.Sample(i, Seed))).Reverse().ToList();
        var batch = sampler.Sample(indices, Seed).Select(Describe).ToList();
        var otherGraph = indices.Select(i => Describe(other.Sample(i, Seed))).ToList();

        Assert.Equal(sequential, reversed);
        Assert.Equal(sequential, batch);
        Assert.Equal(sequential, otherGraph);
        Assert.Equal(sequential[7], Describe(new PathSampler(forward, options).Sample(7, Seed)));
        Assert.True(sequential.Distinct().Count() > 100, "paths should vary with the index");
        var differentSeed = indices.Select(i => Describe(sampler.Sample(i, Seed + 1))).ToList();
        Assert.NotEqual(sequential, differentSeed);
    }

    [Fact]
    public void Sample_unique_is_the_same_in_parallel_and_sequentially()
    {
        var graph = SyntheticGraph();
        var parallel = new PathSampler(graph, new SamplingOptions { MaxDegreeOfParallelism = 4 }).SampleUnique(800, Seed);
        var sequential = new PathSampler(graph, new SamplingOptions { MaxDegreeOfParallelism = 1 }).SampleUnique(800, Seed);

        Assert.Equal(parallel.Select(Describe), sequential.Select(Describe));
    }

    [Fact]
    public void Every_step_after_the_first_is_connected_to_an_earlier_step_and_fields_do_not_repeat()
    {
        var graph = SyntheticGraph();
        foreach (var temperature in new[] { 0.5, 1.0, 3.0 })
        {
            var sampler = new PathSampler(graph, new SamplingOptions { Temperature = temperature });
            for (var i = 0; i < 400; i++)
            {
                var path = sampler.Sample(i, Seed)!;
                Assert.Equal(path.Steps.Count, path.Steps.Select(s => s.Field).Distinct().Count());
                Assert.All(path.Steps, s => Assert.True(graph.GetNodeCount(s.Field, s.Value) > 0));
                for (var k = 1; k < path.Steps.Count; k++)
                {
                    var step = path.Steps[k];
                    Assert.Contains(path.Steps.Take(k), earlier => graph.GetEdgeCount(earlier.Field, earlier.Value, step.Field, step.Value) > 0);
                }
            }
        }
    }

    [Fact]
    public void A_field_is_skipped_only_while_nothing_on_the_path_connects_to_it()
    {
        // A star: the hub links to one value of each other field, so a path from the hub must cover all fields.
        var graph = CooccurrenceGraph.FromCounts(
            "report",
            10,
            [new GraphNode("hub", "h", 10), new GraphNode("a", "x", 1), new GraphNode("b", "y", 1), new GraphNode("c", "z", 1)],
            [new GraphEdge("hub", "h", "a", "x", 1), new GraphEdge("hub", "h", "b", "y", 1), new GraphEdge("hub", "h", "c", "z", 1)]);
        var sampler = new PathSampler(graph, new SamplingOptions());

        var paths = Enumerable.Range(0, 200).Select(i => sampler.Sample(i, Seed)!).ToList();

        Assert.Contains(paths, p => p.Steps[0].Field == "hub");
        Assert.All(paths.Where(p => p.Steps[0].Field == "hub"), p => Assert.Equal(4, p.Steps.Count));
        // From a leaf only the hub is connected; leaves visited before the hub are skipped, those after it are not.
        Assert.All(paths.Where(p => p.Steps[0].Field != "hub"), p => Assert.Contains(p.Steps, s => s.Field == "hub"));
        Assert.Contains(paths, p => p.Steps[0].Field != "hub" && p.Steps.Count == 4);
        Assert.Contains(paths, p => p.Steps[0].Field != "hub" && p.Steps.Count < 4);
    }

    [Fact]
    public void Start_values_follow_node_counts_at_temperature_one_and_flatten_above_it()
    {
        // No edges: every path is just its start value, so start frequencies can be read off directly.
        var counts = new Dictionary<string, long> { ["a"] = 60, ["b"] = 25, ["c"] = 10, ["d"] = 5 };
        var graph = CooccurrenceGraph.FromCounts("report", 100, counts.Select(kv => new GraphNode("f", kv.Key, kv.Value)), []);
        const int samples = 20_000;

        Dictionary<string, double> Frequencies(double temperature)
        {
            var sampler = new PathSampler(graph, new SamplingOptions { Temperature = temperature });
            return Enumerable.Range(0, samples)
                .Select(i => sampler.Sample(i, Seed)!.Steps.Single().Value)
                .GroupBy(v => v)
                .ToDictionary(g => g.Key, g => (double)g.Count() / samples);
        }

        void AssertMatches(double temperature, Dictionary<string, double> observed)
        {
            var total = counts.Values.Sum(c => Math.Pow(c, 1 / temperature));
            foreach (var (value, count) in counts)
            {
                // Tolerance ≈ 4.5 standard deviations of a binomial proportion at p = 0.5 over 20,000 draws.
                Assert.InRange(observed.GetValueOrDefault(value), (Math.Pow(count, 1 / temperature) / total) - 0.016, (Math.Pow(count, 1 / temperature) / total) + 0.016);
            }
        }

        var t1 = Frequencies(1.0);
        var t2 = Frequencies(2.0);
        AssertMatches(1.0, t1);
        AssertMatches(2.0, t2);
        Assert.True(t2["d"] > t1["d"] + 0.03, "T>1 must give the rarest value more weight");
        Assert.True(t2["a"] < t1["a"] - 0.1, "T>1 must take weight from the most common value");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(0.5)]
    [InlineData(0.25)] // these two also exercise the exhaustive fallback after repeated rejections
    [InlineData(0.1)]
    public void A_step_is_chosen_in_proportion_to_its_summed_weight_to_the_path_raised_to_one_over_t(double temperature)
    {
        // Count weighting for easy arithmetic. When the path is [a1, b1] and field c comes next:
        // s(c1) = w(a1,c1) = 2; s(c2) = w(a1,c2) + w(b1,c2) = 1 + 3 = 4.
        var graph = CooccurrenceGraph.FromCounts(
            "report",
            20,
            [new GraphNode("a", "a1", 10), new GraphNode("b", "b1", 10), new GraphNode("c", "c1", 5), new GraphNode("c", "c2", 5)],
            [
                new GraphEdge("a", "a1", "b", "b1", 5),
                new GraphEdge("a", "a1", "c", "c1", 2),
                new GraphEdge("a", "a1", "c", "c2", 1),
                new GraphEdge("b", "b1", "c", "c2", 3),
            ]);
        var sampler = new PathSampler(graph, new SamplingOptions { Temperature = temperature }, EdgeWeighting.Count);

        var thirdSteps = Enumerable.Range(0, 30_000)
            .Select(i => sampler.Sample(i, Seed)!.Steps)
            .Where(s => s.Count == 3 && s[0].Value == "a1" && s[1].Value == "b1")
            .Select(s => s[2].Value)
            .ToList();

        var expectedC1 = Math.Pow(2, 1 / temperature) / (Math.Pow(2, 1 / temperature) + Math.Pow(4, 1 / temperature));
        Assert.True(thirdSteps.Count > 3000, $"too few conditioned samples: {thirdSteps.Count}");
        var observedC1 = thirdSteps.Count(v => v == "c1") / (double)thirdSteps.Count;
        Assert.InRange(observedC1, expectedC1 - 0.03, expectedC1 + 0.03);
    }

    [Fact]
    public void Pmi_weighting_never_follows_an_edge_clipped_to_zero()
    {
        // N = 4: PMI(x,y) = log(8/9) < 0 is clipped to 0, so y is never chosen right after x, nor x after y;
        // PMI(x,u) = PMI(y,u) = log(4/3) > 0, so both can follow u.
        var graph = new CooccurrenceGraph("report");
        graph.Add(Record("report", F("a", "x"), F("b", "y"), F("c", "u")));
        graph.Add(Record("report", F("a", "x"), F("b", "y")));
        graph.Add(Record("report", F("a", "x")));
        graph.Add(Record("report", F("b", "y")));
        var sampler = new PathSampler(graph, new SamplingOptions(), EdgeWeighting.Pmi);

        var paths = Enumerable.Range(0, 500).Select(i => sampler.Sample(i, Seed)!).ToList();

        Assert.DoesNotContain(paths, p => p.Steps.Count > 1 && (p.Steps[0].Value is "x" or "y") && (p.Steps[1].Value is "x" or "y"));
        Assert.Contains(paths, p => p.Steps[0].Value == "x" && p.Steps.Count == 2);
        Assert.Contains(paths, p => p.Steps[0].Value == "u" && p.Steps.Count == 3);
    }

    [Fact]
    public void Sample_unique_keeps_the_lowest_index_of_each_distinct_path()
    {
        // Three skewed fields: head combinations recur often, so duplicates are common.
        var graph = new CooccurrenceGraph("report");
        Synthetic(300, fields: 3).ForEach(graph.Add);
        var sampler = new PathSampler(graph, new SamplingOptions());

        var unique = sampler.SampleUnique(150, Seed);

        Assert.Equal(150, unique.Count);
        Assert.Equal(unique.Count, unique.Select(p => p.Key).Distinct().Count());
        Assert.Equal(unique.Select(p => p.Index).Order(), unique.Select(p => p.Index));
        var expected = new List<long>();
        var seen = new HashSet<string>();
        for (long i = 0; expected.Count < 150; i++)
        {
            if (seen.Add(sampler.Sample(i, Seed)!.Key))
            {
                expected.Add(i);
            }
        }

        Assert.Equal(expected, unique.Select(p => p.Index));
        Assert.True(unique[^1].Index > 150, "the graph should produce some duplicates");
    }

    [Fact]
    public void A_graph_too_small_for_the_request_returns_fewer_paths_without_looping_forever()
    {
        // Two connected values: every path is {x, y} whichever is the start; one isolated value: {z}.
        var graph = CooccurrenceGraph.FromCounts(
            "report",
            5,
            [new GraphNode("a", "x", 3), new GraphNode("b", "y", 3), new GraphNode("c", "z", 2)],
            [new GraphEdge("a", "x", "b", "y", 3)]);
        var sampler = new PathSampler(graph, new SamplingOptions { MaxAttemptsPerPath = 20 });

        var paths = sampler.SampleUnique(1000, Seed);

        Assert.Equal(2, paths.Count);
        Assert.Equal(["report|a=x|b=y", "report|c=z"], paths.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Empty(new PathSampler(new CooccurrenceGraph("empty"), new SamplingOptions()).SampleUnique(10, Seed));
        Assert.Null(new PathSampler(new CooccurrenceGraph("empty"), new SamplingOptions()).Sample(0, Seed));
    }

    [Fact]
    public void Rejects_a_temperature_that_is_not_positive()
    {
        var graph = SyntheticGraph(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PathSampler(graph, new SamplingOptions { Temperature = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PathSampler(graph, new SamplingOptions { Temperature = double.NaN }));
    }
}
