using WildLong.Core;
using WildLong.Core.Model;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Indexing;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Synthesis;

namespace WildLong.Pipeline.Tests;

/// <summary>A client's live view of a run: the run's own counts plus what its running fan-out groups have done.</summary>
public sealed class RunProgressTests
{
    [Fact]
    public void Running_groups_add_their_items_tokens_and_cost_to_their_stage()
    {
        var start = new DateTime(2026, 11, 26, 6, 0, 0, DateTimeKind.Utc);
        var stages = new Dictionary<string, StageProgress>
        {
            [StageNames.MetaInfoExtraction] = new(200, 200, 5),
            [StageNames.PairGeneration] = new(32, 160, 4),
        };
        var run = new RunProgress("run-1", StageNames.PairGeneration, stages, 1_000, 100, 50, 1.5m, start, start, null);
        var usage = new Dictionary<string, StageUsage> { ["response-generation"] = StageUsage.Zero with { InputTokens = 400, OutputTokens = 40 } };
        FanOutProgress[] groups =
        [
            new(nameof(GeneratePairsActivity), 4, 1, new WorkSummary(16, 14, 2, usage, 0.25m)),
            new(nameof(GeneratePairsActivity), 4, 2, new WorkSummary(32, 30, 2, usage, 0.5m)),
            new(nameof(WriteInstructionsActivity), 2, 1, new WorkSummary(8, 8, 0, usage, 0.1m)), // no instructions stage yet: ignored
            new(nameof(ExtractQueriesActivity), 1, 1, new WorkSummary(500, 500, 0, usage, 0m)),  // would pass the total: capped
        ];

        var live = run.WithRunningGroups(groups);

        Assert.Equal(new StageProgress(32 + 48, 160, 4 + 4), live.Stages[StageNames.PairGeneration]);
        Assert.Equal(new StageProgress(200, 200, 5), live.Stages[StageNames.MetaInfoExtraction]);
        Assert.False(live.Stages.ContainsKey(StageNames.InstructionWriting));
        Assert.Equal(1_000 + (3 * 400), live.InputTokens);
        Assert.Equal(50 + (3 * 40), live.OutputTokens);
        Assert.Equal(1.5m + 0.75m, live.Cost);
        // The run's own record is unchanged.
        Assert.Equal(new StageProgress(32, 160, 4), run.Stages[StageNames.PairGeneration]);
    }

    [Fact]
    public void Running_input_children_add_what_they_planned_to_the_total_and_their_ended_pieces_to_done()
    {
        var start = new DateTime(2026, 12, 2, 6, 0, 0, DateTimeKind.Utc);
        var stages = new Dictionary<string, StageProgress>
        {
            [StageNames.MetaInfoExtraction] = new(100, 100, 2), // one shard's child ended: counted by the run
            [StageNames.IndexDocuments] = new(0, 0, 0),
        };
        var run = new RunProgress("run-1", StageNames.MetaInfoExtraction, stages, 0, 0, 0, 0m, start, start, null);
        var usage = new Dictionary<string, StageUsage> { [StageNames.MetaInfoExtraction] = StageUsage.Zero with { InputTokens = 10, OutputTokens = 1 } };
        InputProgress[] inputs =
        [
            new(nameof(ExtractQueriesActivity), 600, new WorkSummary(300, 290, 10, usage, 0.5m)), // two groups ended
            new(nameof(ExtractQueriesActivity), 50, WorkSummary.Empty),                            // planned, nothing ended yet
            new(nameof(IndexDocumentsActivity), 20, new WorkSummary(20, 20, 0, usage, 0m)),
        ];
        FanOutProgress[] groups = [new(nameof(ExtractQueriesActivity), 300, 40, new WorkSummary(40, 40, 0, usage, 0.1m))]; // a running group of the first child

        var live = run.WithRunning(inputs, groups);

        Assert.Equal(new StageProgress(100 + 300 + 40, 100 + 600 + 50, 2 + 10), live.Stages[StageNames.MetaInfoExtraction]);
        Assert.Equal(new StageProgress(20, 20, 0), live.Stages[StageNames.IndexDocuments]);
        Assert.Equal(3 * 10, live.InputTokens);
        Assert.Equal(0.6m, live.Cost);
    }

    [Fact]
    public void A_runs_input_children_are_told_apart_from_its_groups_at_any_depth()
    {
        var child = FanOut.InputChildId("run-1", InputKind.Queries, new WildLong.Storage.Blobs.BlobRef("queries", "in/part 1.jsonl"));

        Assert.StartsWith("run-1" + FanOut.GroupIdInfix, child, StringComparison.Ordinal);
        Assert.DoesNotContain('/', child);
        Assert.Equal(child, FanOut.InputChildId("run-1", InputKind.Queries, new WildLong.Storage.Blobs.BlobRef("queries", "in/part 1.jsonl")));
        Assert.NotEqual(child, FanOut.InputChildId("run-1", InputKind.Queries, new WildLong.Storage.Blobs.BlobRef("queries", "in/part 2.jsonl")));
        Assert.NotEqual(child, FanOut.InputChildId("run-2", InputKind.Queries, new WildLong.Storage.Blobs.BlobRef("queries", "in/part 1.jsonl")));
        Assert.True(FanOut.IsInputChild(child));
        Assert.False(FanOut.IsInputChild(child + FanOut.GroupIdInfix + Guid.Empty.ToString("N")));
        Assert.False(FanOut.IsInputChild("run-1" + FanOut.GroupIdInfix + Guid.Empty.ToString("N")));
        Assert.False(FanOut.IsInputChild("run-1"));
    }
}
