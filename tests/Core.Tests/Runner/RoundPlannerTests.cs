using WildLong.Core.Common;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Runner;

namespace WildLong.Core.Tests.Runner;

public class RoundPlannerTests
{
    private static RoundTally Tally(int paths, int multiPaths, int kept, int keptMulti, double share = 0.25, bool possible = true)
        => new(paths, multiPaths, kept, keptMulti, share, possible);

    private static TrainingRecord Record(string id, TaskKind kind, string bucket)
        => new(
            [new TrainingMessage("user", "u"), new TrainingMessage("assistant", "a")],
            new TrainingRecordMeta(id, "legal_contract", kind, "k", 0, [new PathStep("task", "t")], ["d"], [bucket],
                "a", "i", 1, 1, "m", 1, [], new JudgeVerdict(true, true, 5, "ok")));

    [Fact]
    public void The_first_round_plans_the_oversampled_count_at_the_target_share()
    {
        var plan = new RoundPlanner(200, 1.5, 4).First;

        Assert.Equal(new RoundPlan(1, 300, null), plan);
    }

    [Fact]
    public void Stops_when_both_kinds_are_covered_the_graphs_are_exhausted_or_rounds_run_out()
    {
        var planner = new RoundPlanner(100, 1.5, 3);
        var first = planner.First;

        Assert.Null(planner.Next(first, 150, Tally(150, 37, 110, 25)));
        Assert.Null(planner.Next(first, 0, Tally(150, 37, 20, 2)));
        Assert.Null(planner.Next(new RoundPlan(3, 400, 0.5), 80, Tally(400, 100, 60, 5)));
        Assert.NotNull(planner.Next(first, 150, Tally(150, 37, 110, 10)));
    }

    [Fact]
    public void Lost_multi_document_tasks_are_re_planned_from_their_own_yield()
    {
        // 100 pairs at 25 %: 75 single + 25 multi wanted. Round 1 kept 80 single (of 113 paths) but 4 multi of 37.
        var planner = new RoundPlanner(100, 1.5, 4);

        var next = planner.Next(planner.First, 150, Tally(150, 37, 84, 4))!;

        Assert.Equal(2, next.Round);
        // 21 missing multi at a yield of 4/37 → 195 paths, all multi-document; no single is re-planned.
        Assert.Equal(150 + 195, next.WantedPaths);
        Assert.Equal(1.0, next.MultiDocumentShare);
    }

    [Fact]
    public void Both_kinds_short_are_re_planned_in_proportion_and_growth_is_capped()
    {
        var planner = new RoundPlanner(100, 1.5, 4);

        var next = planner.Next(planner.First, 150, Tally(150, 40, 55, 10))!;

        // Single: 30 missing at 45/110 → 74 paths; multi: 15 missing at 10/40 → 60 paths.
        Assert.Equal(150 + 74 + 60, next.WantedPaths);
        Assert.Equal(60 / 134.0, next.MultiDocumentShare!.Value, 6);

        var starved = planner.Next(planner.First, 150, Tally(150, 40, 0, 0))!;
        Assert.Equal(450, starved.WantedPaths);
    }

    [Fact]
    public void Without_a_type_that_can_hold_multi_document_tasks_only_single_ones_are_wanted()
    {
        var planner = new RoundPlanner(100, 1.5, 4);

        Assert.Equal(0, planner.TargetMultiDocument(Tally(150, 0, 90, 0, possible: false)));
        Assert.Null(planner.Next(planner.First, 150, Tally(150, 0, 100, 0, possible: false)));
        var next = planner.Next(planner.First, 150, Tally(150, 0, 50, 0, possible: false))!;
        Assert.Equal(0, next.MultiDocumentShare);
    }

    [Theory]
    [InlineData(0.25, 0.9, 0.15, 1)]
    [InlineData(0.25, 0.6, 0.30, 2)]
    [InlineData(0.5, 0.8, 0.1, 3)]
    [InlineData(0.1, 0.5, 0.05, 4)]
    public void A_simulated_run_with_a_poor_multi_document_yield_still_ends_within_five_points(double share, double singleYield, double multiYield, int seed)
    {
        // Each planned path is kept with its kind's yield (a seeded coin); the planner sees only the tallies.
        const int pairs = 200;
        var planner = new RoundPlanner(pairs, 1.5, 6);
        var random = new DeterministicRandom((ulong)seed);
        var kept = new List<TrainingRecord>();
        int paths = 0, multiPaths = 0, planned = 0, id = 0;
        for (var plan = planner.First; plan is not null;)
        {
            var fresh = plan.WantedPaths - planned;
            planned = plan.WantedPaths;
            var multi = (int)Math.Round(fresh * (plan.MultiDocumentShare ?? share), MidpointRounding.AwayFromZero);
            for (var i = 0; i < fresh; i++)
            {
                var isMulti = i < multi;
                if (random.NextDouble() < (isMulti ? multiYield : singleYield))
                {
                    kept.Add(Record($"r{id++:D5}", isMulti ? TaskKind.Comparison : TaskKind.SingleDocument, "4k-8k"));
                }
            }

            paths += fresh;
            multiPaths += multi;
            plan = planner.Next(plan, fresh, Tally(paths, multiPaths, kept.Count, kept.Count(r => r.Meta.TaskKind != TaskKind.SingleDocument), share));
        }

        var dataset = RoundPlanner.Select(kept, pairs, share, new Dictionary<string, double> { ["4k-8k"] = 1 });

        Assert.Equal(pairs, dataset.Count);
        var keptShare = dataset.Count(r => r.Meta.TaskKind != TaskKind.SingleDocument) / (double)pairs;
        Assert.InRange(keptShare, share - 0.05, share + 0.05);
    }

    [Fact]
    public void Select_takes_the_target_share_and_spreads_single_pairs_over_the_mix()
    {
        var kept = new List<TrainingRecord>();
        for (var i = 0; i < 60; i++)
        {
            kept.Add(Record($"s-short-{i:D3}", TaskKind.SingleDocument, "4k-8k"));
        }

        for (var i = 0; i < 20; i++)
        {
            kept.Add(Record($"s-long-{i:D3}", TaskKind.SingleDocument, "32k-64k"));
            kept.Add(Record($"m-{i:D3}", TaskKind.Aggregation, "4k-8k"));
        }

        var mix = new Dictionary<string, double> { ["4k-8k"] = 0.5, ["32k-64k"] = 0.5 };
        var dataset = RoundPlanner.Select(kept, 40, 0.25, mix);

        Assert.Equal(40, dataset.Count);
        Assert.Equal(10, dataset.Count(r => r.Meta.TaskKind != TaskKind.SingleDocument));
        Assert.Equal(15, dataset.Count(r => r.Meta.TaskKind == TaskKind.SingleDocument && r.Meta.LengthBuckets[0] == "4k-8k"));
        Assert.Equal(15, dataset.Count(r => r.Meta.TaskKind == TaskKind.SingleDocument && r.Meta.LengthBuckets[0] == "32k-64k"));
        Assert.Equal(dataset.Select(r => r.Meta.Id).Order(StringComparer.Ordinal), dataset.Select(r => r.Meta.Id));

        // A kind that runs short is filled by the other; a bucket that runs short by the rest of the mix.
        var fewMulti = RoundPlanner.Select([.. kept.Where(r => r.Meta.TaskKind == TaskKind.SingleDocument || r.Meta.Id == "m-000")], 40, 0.25, mix);
        Assert.Equal(40, fewMulti.Count);
        Assert.Equal(1, fewMulti.Count(r => r.Meta.TaskKind != TaskKind.SingleDocument));
        var many = RoundPlanner.Select(kept, 70, 0.25, mix);
        Assert.Equal(20, many.Count(r => r.Meta.LengthBuckets[0] == "32k-64k" && r.Meta.TaskKind == TaskKind.SingleDocument));
        Assert.Equal(70, many.Count);
    }
}
