using Microsoft.Extensions.Logging.Abstractions;
using WildLong.Core.Graphs;
using static WildLong.Core.Tests.Graphs.GraphRecords;

namespace WildLong.Core.Tests.Runner;

public sealed class PathAllocationTests
{
    [Fact]
    public void Allocation_is_proportional_sums_exactly_and_breaks_ties_by_name()
    {
        var plan = PathPlanner.Allocate(new Dictionary<string, long> { ["b"] = 1, ["a"] = 1, ["c"] = 2 }, 5);

        // Exact shares 1.25, 1.25, 2.5: floors 1, 1, 2, and the one left goes to the largest remainder.
        Assert.Equal((1, 1, 3), (plan["a"], plan["b"], plan["c"]));

        // Equal remainders (1.5 each): the first name gets the extra one.
        var tie = PathPlanner.Allocate(new Dictionary<string, long> { ["y"] = 7, ["x"] = 7 }, 3);
        Assert.Equal((2, 1), (tie["x"], tie["y"]));
        Assert.Empty(PathPlanner.Allocate(new Dictionary<string, long>(), 10));
    }

    [Fact]
    public void A_later_round_whose_plan_holds_only_used_paths_samples_further_and_a_spent_graph_ends_empty()
    {
        var graphs = GraphSet.Build(Synthetic(2000, ["report"]));
        var types = new HashSet<string>(["report"], StringComparer.Ordinal);
        var planner = new PathPlanner(new SamplingOptions(), EdgeWeighting.Log, NullLogger.Instance);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var first = planner.PlanFresh(graphs, types, 20, 7, seen, CancellationToken.None);
        Assert.Equal(20, first.Count);

        // The same plan again holds nothing new, so the next, three times larger, is used: its new paths, in order.
        var again = planner.PlanFresh(graphs, types, 20, 7, seen, CancellationToken.None);
        var larger = planner.Plan(graphs, types, 60, 7, CancellationToken.None);
        Assert.Equal(larger.Select(p => p.Key).Except(first.Select(p => p.Key)), again.Select(p => p.Key));
        Assert.Equal(40, again.Count);

        // A graph with a single path: once it is used, every larger plan repeats it and the result is empty.
        var tiny = GraphSet.Build([Record("memo", F("task", "summarize")), Record("memo", F("task", "summarize"))]);
        var memo = new HashSet<string>(["memo"], StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        Assert.Single(planner.PlanFresh(tiny, memo, 5, 7, used, CancellationToken.None));
        Assert.Empty(planner.PlanFresh(tiny, memo, 5, 7, used, CancellationToken.None));
    }
}
