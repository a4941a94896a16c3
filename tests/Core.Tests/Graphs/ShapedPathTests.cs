using WildLong.Core.Graphs;
using static WildLong.Core.Tests.Graphs.ShapedRecords;

namespace WildLong.Core.Tests.Graphs;

public class ShapedPathTests
{
    private const ulong Seed = 20250224;

    private static string Describe(InstructionPath? path)
        => path is null ? "null" : $"{path.DocumentType}:{path.Index}:" + string.Join(",", path.Steps.Select(s => s.Field + "=" + s.Value));

    private static Dictionary<int, long> Lengths(IEnumerable<InstructionPath> paths)
        => paths.GroupBy(p => p.Steps.Count).ToDictionary(g => g.Key, g => (long)g.Count());

    [Fact]
    public void The_shape_is_recorded_per_record_and_merges_by_addition_in_any_grouping()
    {
        var records = Make(600, "report");
        var whole = new CooccurrenceGraph("report");
        records.ForEach(whole.Add);
        var shards = Enumerable.Range(0, 3).Select(_ => new CooccurrenceGraph("report")).ToArray();
        for (var i = records.Count - 1; i >= 0; i--)
        {
            shards[i % 3].Add(records[i]);
        }

        shards[2].Merge(shards[0]);
        shards[1].Merge(shards[2]);

        Assert.True(shards[1].ContentEquals(whole));
        Assert.Equal(whole.ToJson(), shards[1].ToJson());
        Assert.True(CooccurrenceGraph.FromJson(whole.ToJson()).ContentEquals(whole));
        // The histogram counts every record by its number of graph values, and each field by its number of values.
        var expectedLengths = records.GroupBy(r => r.Fields.Values.Sum(v => v.Count)).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expectedLengths.OrderBy(kv => kv.Key), whole.Shape.Lengths.Select(kv => new KeyValuePair<int, long>(kv.Key, kv.Value)));
        var expectedTasks = records.GroupBy(r => r.Fields[TaskField].Count).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.Equal(expectedTasks.OrderBy(kv => kv.Key), whole.Shape.ValuesOf(TaskField));
        Assert.Equal(records.Count(r => r.Fields.ContainsKey("domain")) / (double)records.Count, whole.Shape.Presence("domain"), 6);
        Assert.Equal(records.Count, whole.Signatures.Entries().Sum(e => e.Count));
    }

    [Fact]
    public void Path_lengths_follow_the_records_histogram_and_every_path_carries_the_task()
    {
        var graph = new CooccurrenceGraph("report");
        Make(3000, "report").ForEach(graph.Add);
        var records = graph.Shape.Lengths.Where(kv => kv.Key > 0).ToDictionary(kv => kv.Key, kv => kv.Value);
        var sampler = new PathSampler(graph, new SamplingOptions());
        var paths = Enumerable.Range(0, 4000).Select(i => sampler.Sample(i, Seed)!).ToList();

        var kl = GraphStatistics.PathLengthKlDivergence(Lengths(paths), records, graph.Fields.Count);
        Assert.True(kl < 0.02, $"KL(paths || records) = {kl:F4}");
        Assert.All(paths, p => Assert.Equal(TaskField, p.Steps[0].Field));

        // Unshaped (the old behaviour) fills every reachable field: far from the records.
        var unshaped = new PathSampler(graph, new SamplingOptions { ShapePathsLikeRecords = false });
        var unshapedPaths = Enumerable.Range(0, 4000).Select(i => unshaped.Sample(i, Seed)!).ToList();
        var unshapedKl = GraphStatistics.PathLengthKlDivergence(Lengths(unshapedPaths), records, graph.Fields.Count);
        Assert.True(unshapedKl > 0.5, $"unshaped KL = {unshapedKl:F4}");
        Assert.All(unshapedPaths, p => Assert.Equal(TaskField, p.Steps[0].Field));
    }

    [Fact]
    public void List_fields_give_several_distinct_connected_values_about_as_often_as_records_do()
    {
        var graph = new CooccurrenceGraph("report");
        Make(3000, "report", secondTaskShare: 0.5).ForEach(graph.Add);
        var sampler = new PathSampler(graph, new SamplingOptions());
        var paths = Enumerable.Range(0, 3000).Select(i => sampler.Sample(i, Seed)!).ToList();

        foreach (var path in paths)
        {
            Assert.Equal(path.Steps.Count, path.Steps.Distinct().Count());
            for (var k = 1; k < path.Steps.Count; k++)
            {
                var step = path.Steps[k];
                Assert.Contains(path.Steps.Take(k), earlier => graph.GetEdgeCount(earlier.Field, earlier.Value, step.Field, step.Value) > 0);
            }
        }

        // Half of the records hold several tasks; a path can add them only once another value joined and while its
        // length allows, so the share is lower, but clearly there.
        var multiTask = paths.Count(p => p.Steps.Count(s => s.Field == TaskField) > 1) / (double)paths.Count;
        Assert.InRange(multiTask, 0.2, 0.6);
        // Fields that records hold rarely are visited rarely.
        var domain = paths.Count(p => p.Steps.Any(s => s.Field == "domain")) / (double)paths.Count;
        var constraints = paths.Count(p => p.Steps.Any(s => s.Field == "constraints")) / (double)paths.Count;
        Assert.True(domain > 2 * constraints, $"domain {domain:F2}, constraints {constraints:F2}");
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(0.5)]
    public void Shaped_and_blended_paths_depend_only_on_seed_index_and_graph_content(double temperature)
    {
        var report = Make(800, "report", salt: 3);
        var memo = Make(8, "memo", salt: 4, prefix: "m-");
        var forward = GraphSet.Build([.. report, .. memo]);
        var shuffled = new GraphSet();
        foreach (var part in new[] { memo, report.Skip(400).Reverse().ToList(), report.Take(400).ToList() })
        {
            shuffled.Merge(GraphSet.Build(part));
        }

        var options = new SamplingOptions { Temperature = temperature };
        var graphOptions = new GraphOptions { MinRecordsForOwnGraph = 20 };
        var types = new[] { "memo", "report" };
        var a = GraphSources.Resolve(forward, types, graphOptions, TaskField);
        var b = GraphSources.Resolve(shuffled, types.Reverse(), graphOptions, TaskField);
        Assert.Equal(GraphSourceKind.Blended, a["memo"]!.Kind);
        foreach (var type in types)
        {
            var sampler = a.SamplerFor(type, options, EdgeWeighting.Log);
            var other = b.SamplerFor(type, options, EdgeWeighting.Log);
            var indices = Enumerable.Range(0, 300).Select(i => (long)i).ToList();
            var sequential = indices.Select(i => Describe(sampler.Sample(i, Seed))).ToList();
            var reversed = indices.AsEnumerable().Reverse().Select(i => Describe(sampler.Sample(i, Seed))).Reverse().ToList();
            var batch = sampler.Sample(indices, Seed).Select(Describe).ToList();
            var rebuilt = indices.Select(i => Describe(other.Sample(i, Seed))).ToList();

            Assert.Equal(sequential, reversed);
            Assert.Equal(sequential, batch);
            Assert.Equal(sequential, rebuilt);
            Assert.True(sequential.Distinct().Count() > 30, "paths should vary with the index");
            Assert.NotEqual(sequential, indices.Select(i => Describe(sampler.Sample(i, Seed + 1))).ToList());
        }
    }

    [Fact]
    public void A_graph_without_a_recorded_shape_or_task_samples_as_before()
    {
        // Rows only (as stored before shapes existed): no shape, so no length limit; no task field, so any start.
        var graph = CooccurrenceGraph.FromCounts(
            "report",
            10,
            [new GraphNode("hub", "h", 10), new GraphNode("a", "x", 1), new GraphNode("b", "y", 1)],
            [new GraphEdge("hub", "h", "a", "x", 1), new GraphEdge("hub", "h", "b", "y", 1)]);
        var paths = Enumerable.Range(0, 200).Select(i => new PathSampler(graph, new SamplingOptions()).Sample(i, Seed)!).ToList();

        Assert.All(paths.Where(p => p.Steps[0].Field == "hub"), p => Assert.Equal(3, p.Steps.Count));
        Assert.Contains(paths, p => p.Steps[0].Field != "hub");
    }
}
