using Microsoft.Extensions.Logging.Abstractions;
using WildLong.Core.Graphs;
using static WildLong.Core.Tests.Graphs.ShapedRecords;

namespace WildLong.Core.Tests.Graphs;

public class GraphSourcesTests
{
    private const ulong Seed = 7;

    private static readonly GraphOptions Options = new() { MinRecordsForOwnGraph = 20 };

    [Fact]
    public void A_type_with_documents_and_no_graph_borrows_all_types_including_types_without_documents()
    {
        // "memo" has queries but no documents; "letter" has documents but no queries.
        var graphs = GraphSet.Build([.. Make(100, "report", salt: 1), .. Make(30, "memo", salt: 2, prefix: "m-")]);
        var sources = GraphSources.Resolve(graphs, ["report", "letter"], Options, TaskField);

        Assert.Equal(GraphSourceKind.Own, sources["report"]!.Kind);
        var letter = sources["letter"]!;
        Assert.Equal(GraphSourceKind.Borrowed, letter.Kind);
        var borrowing = Assert.Single(sources.Borrowings);
        Assert.Equal(("letter", GraphSet.AllTypes, 0L, 130L), (borrowing.DocumentType, borrowing.Source, borrowing.OwnRecords, borrowing.SourceRecords));
        Assert.Contains("no query of its own", borrowing.Reason, StringComparison.Ordinal);
        Assert.Equal(Options.MinRecordsForOwnGraph, letter.PlanWeight);

        // The plan serves both types; letter's paths carry its name and may use memo's values (its queries count).
        var planner = new PathPlanner(new SamplingOptions(), Options, NullLogger.Instance);
        var paths = planner.Plan(sources, 240, Seed, CancellationToken.None);
        Assert.Equal(["letter", "report"], paths.Select(p => p.DocumentType).Distinct().Order(StringComparer.Ordinal));
        var letterPaths = paths.Where(p => p.DocumentType == "letter").ToList();
        Assert.InRange(letterPaths.Count, 30, 45); // 240 × 20 / 120 = 40 (fewer only if the graph runs out of distinct paths)
        Assert.Contains(letterPaths, p => p.Steps.Any(s => s.Value.StartsWith("m-", StringComparison.Ordinal)));
        Assert.All(letterPaths, p => Assert.Equal(TaskField, p.Steps[0].Field));
    }

    [Fact]
    public void A_configured_nearest_type_is_borrowed_when_it_has_enough_records()
    {
        var graphs = GraphSet.Build([.. Make(100, "report", salt: 1), .. Make(40, "memo", salt: 2, prefix: "m-")]);
        var options = new GraphOptions { MinRecordsForOwnGraph = 20 };
        options.BorrowFrom["letter"] = "memo";
        options.BorrowFrom["note"] = "missing";

        var sources = GraphSources.Resolve(graphs, ["letter", "note"], options, TaskField);

        Assert.Equal("memo", sources["letter"]!.Borrowing!.Source);
        Assert.Same(graphs["memo"], sources["letter"]!.Graph);
        Assert.Equal(GraphSet.AllTypes, sources["note"]!.Borrowing!.Source);
        var path = sources.SamplerFor("letter", new SamplingOptions(), EdgeWeighting.Log).Sample(0, Seed)!;
        Assert.Equal("letter", path.DocumentType);
        Assert.StartsWith("m-", path.Steps[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_type_with_few_records_keeps_its_own_task_values_and_takes_format_and_tone_from_all_types()
    {
        // memo's 6 records never ask for a format or tone; report's do (output_format0…, tone_style0…).
        var memo = Make(6, "memo", salt: 2, prefix: "m-").Select(r => r with
        {
            Fields = r.Fields.Where(kv => kv.Key is not ("output_format" or "tone_style")).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
        }).ToList();
        var graphs = GraphSet.Build([.. Make(200, "report", salt: 1), .. memo]);

        var sources = GraphSources.Resolve(graphs, ["memo"], Options, TaskField);

        var source = sources["memo"]!;
        Assert.Equal(GraphSourceKind.Blended, source.Kind);
        Assert.Equal(["output_format", "tone_style"], sources.Borrowings.Single().Fields);
        Assert.Same(sources.Pooled!.Shape, source.Shape);
        var sampler = sources.SamplerFor("memo", new SamplingOptions(), EdgeWeighting.Log);
        var paths = Enumerable.Range(0, 400).Select(i => sampler.Sample(i, Seed)!).ToList();
        var memoValues = memo.SelectMany(r => r.Fields.Values.SelectMany(v => v)).ToHashSet(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            Assert.Equal("memo", path.DocumentType);
            Assert.Equal(TaskField, path.Steps[0].Field);
            // Type-dependent values are memo's own; the type-independent ones come from all types.
            Assert.All(path.Steps.Where(s => s.Field is not ("output_format" or "tone_style")), s => Assert.Contains(s.Value, memoValues));
        }

        Assert.Contains(paths, p => p.Steps.Any(s => s.Field == "output_format"));
        Assert.Contains(paths, p => p.Steps.Any(s => s.Field == "tone_style"));

        // With blending off (no type-independent fields) the type samples its own graph only.
        var own = GraphSources.Resolve(graphs, ["memo"], new GraphOptions { MinRecordsForOwnGraph = 20, TypeIndependentFields = [] }, TaskField);
        Assert.Equal(GraphSourceKind.Own, own["memo"]!.Kind);
        Assert.Empty(own.Borrowings);
    }

    [Fact]
    public void Without_any_graph_types_are_unserved_and_the_plan_is_empty()
    {
        var sources = GraphSources.Resolve(new GraphSet(), ["report"], Options, TaskField);

        Assert.Equal(["report"], sources.Unserved);
        Assert.Empty(new PathPlanner(new SamplingOptions(), Options, NullLogger.Instance).Plan(sources, 10, Seed, CancellationToken.None));
    }

    [Fact]
    public void Folding_types_keeps_shapes_and_signatures()
    {
        var graphs = GraphSet.Build([.. Make(50, "report", salt: 1), .. Make(5, "memo", salt: 2, prefix: "m-")]);
        var folded = graphs.FoldTypes(new Dictionary<string, string> { ["memo"] = "other", ["report"] = "other" });

        var other = Assert.Single(folded.Graphs);
        Assert.Equal(55, other.Shape.RecordCount);
        Assert.Equal(55, other.Signatures.Entries().Sum(e => e.Count));
        Assert.True(other.WithDocumentType("*").ContentEquals(graphs.Pool()));
    }
}
