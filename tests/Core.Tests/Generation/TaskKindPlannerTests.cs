using WildLong.Core.Generation;
using WildLong.Core.Graphs;

namespace WildLong.Core.Tests.Generation;

public class TaskKindPlannerTests
{
    private static List<InstructionPath> Paths(string type, int count, int offset = 0)
        => [.. Enumerable.Range(offset, count).Select(i => new InstructionPath(type, i, [new PathStep("task", "t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))]))];

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.25, 25)]
    [InlineData(0.5, 50)]
    [InlineData(1.0, 100)]
    public void Assign_plans_an_exact_multi_document_count(double share, int expected)
    {
        var paths = Paths("legal_contract", 100);

        var assigned = TaskKindPlanner.Assign(new GenerationOptions(), paths, share, new HashSet<string> { "legal_contract" });

        Assert.Equal(paths.Select(p => p.Key), assigned.Select(p => p.Key));
        Assert.All(assigned, p => Assert.NotNull(p.PlannedKind));
        Assert.Equal(expected, assigned.Count(p => p.PlannedKind != TaskKind.SingleDocument));
    }

    [Fact]
    public void Assign_puts_multi_document_tasks_only_on_types_that_can_hold_them()
    {
        // Half the paths are of a type with too few documents: its quota moves to the eligible type.
        var paths = Paths("patent", 50).Concat(Paths("poetry", 50, 50)).ToList();

        var assigned = TaskKindPlanner.Assign(new GenerationOptions(), paths, 0.25, new HashSet<string> { "patent" });

        Assert.Equal(25, assigned.Count(p => p.PlannedKind != TaskKind.SingleDocument));
        Assert.All(assigned.Where(p => p.DocumentType == "poetry"), p => Assert.Equal(TaskKind.SingleDocument, p.PlannedKind));

        // More wanted than eligible paths: all eligible ones, no more.
        var capped = TaskKindPlanner.Assign(new GenerationOptions(), paths, 0.9, new HashSet<string> { "patent" });
        Assert.Equal(50, capped.Count(p => p.PlannedKind != TaskKind.SingleDocument));
    }

    [Fact]
    public void Assign_is_deterministic_and_mixes_comparison_and_aggregation()
    {
        var options = new GenerationOptions { ComparisonShare = 0.5 };
        var paths = Paths("legal_contract", 400);
        var types = new HashSet<string> { "legal_contract" };

        var first = TaskKindPlanner.Assign(options, paths, 0.5, types);
        var again = TaskKindPlanner.Assign(options, [.. Enumerable.Reverse(paths)], 0.5, types);

        Assert.Equal(first.OrderBy(p => p.Index).Select(p => p.PlannedKind), again.OrderBy(p => p.Index).Select(p => p.PlannedKind));
        Assert.InRange(first.Count(p => p.PlannedKind == TaskKind.Comparison), 70, 130);
        Assert.InRange(first.Count(p => p.PlannedKind == TaskKind.Aggregation), 70, 130);
    }
}
