using WildLong.Core.Graphs;

namespace WildLong.Core.Tests.Pipeline;

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
}
