using WildLong.Core.Graphs;
using static WildLong.Core.Tests.Graphs.GraphRecords;

namespace WildLong.Core.Tests.Graphs;

public class InstructionPathKeyTests
{
    [Fact]
    public void The_key_hash_ignores_step_order_and_index_like_the_key()
    {
        var a = new InstructionPath("report", 1, [new PathStep("task", "summarize"), new PathStep("format", "table")]);
        var b = new InstructionPath("report", 9, [new PathStep("format", "table"), new PathStep("task", "summarize")]);

        Assert.Equal(a.Key, b.Key);
        Assert.Equal(a.KeyHash(), b.KeyHash());
    }

    [Theory]
    [InlineData("report", "task", "summarize", "format", "table")]
    [InlineData("contract", "task", "summarize", "format", "table list")]
    [InlineData("report", "task", "summarize", "format", "tabl")]
    [InlineData("report", "task", "summarizeformat", "", "table")]
    [InlineData("report", "tasks", "summarize", "format", "table")]
    public void The_key_hash_tells_apart_paths_whose_strings_differ_anywhere(string type, string f1, string v1, string f2, string v2)
    {
        var reference = new InstructionPath("report", 0, [new PathStep("task", "summarize"), new PathStep("format", "table")]);
        var other = new InstructionPath(type, 0, [new PathStep(f1, v1), new PathStep(f2, v2)]);

        Assert.Equal(reference.Key == other.Key, reference.KeyHash() == other.KeyHash());
    }

    [Fact]
    public void Paths_sampled_from_a_graph_share_a_key_hash_exactly_when_they_share_a_key()
    {
        var graph = new CooccurrenceGraph("report");
        Synthetic(500).ForEach(graph.Add);
        var paths = new PathSampler(graph, new SamplingOptions()).Sample(Enumerable.Range(0, 2000).Select(i => (long)i).ToList(), seed: 7);

        var byKey = paths.Select(p => p.Key).Distinct(StringComparer.Ordinal).Count();
        var byHash = paths.Select(p => p.KeyHash()).Distinct().Count();

        Assert.True(byKey < paths.Count, "the sample should hold repeated paths for the check to mean anything");
        Assert.Equal(byKey, byHash);
    }

    [Fact]
    public void A_path_longer_than_the_stack_buffer_hashes_like_its_reordered_copy()
    {
        var steps = Enumerable.Range(0, 80).Select(i => new PathStep($"field {i:D3}", new string('v', 40) + i)).ToList();
        var forward = new InstructionPath("report", 0, steps);
        var backward = new InstructionPath("report", 0, Enumerable.Reverse(steps).ToList());
        var shorter = new InstructionPath("report", 0, steps.Take(79).ToList());

        Assert.Equal(forward.KeyHash(), backward.KeyHash());
        Assert.NotEqual(forward.KeyHash(), shorter.KeyHash());
    }
}
