using WildLong.Core;
using WildLong.Core.Model;
using WildLong.Core.Runner;
using WildLong.Pipeline.Capacity;

namespace WildLong.Pipeline.Tests.Capacity;

/// <summary>The capacity plan's arithmetic: time at the quota, activities by batch size, sub-orchestrations, storage, hosting cost.</summary>
public sealed class CapacityPlannerTests
{
    private static readonly MethodRunOptions Run = new() { QueryBatchSize = 64, DocumentBatchSize = 8, InstructionBatchSize = 32, PairBatchSize = 16 };

    private static RunEstimate Estimate(long extractionCalls, long extractionInput, long longCalls, long longInput, int queries = 10_000, int documents = 800, int pairs = 1_000)
        => new(new Dictionary<string, StageUsage>(StringComparer.Ordinal)
        {
            // Output is half of the budget (RunEstimator.OutputFill): the planner charges the whole budget back.
            [StageNames.MetaInfoExtraction] = new(extractionCalls, 0, extractionInput, 0, extractionCalls * 100),
            [StageNames.ResponseGeneration] = new(longCalls, 0, longInput, 0, longCalls * 500),
        }, queries, queries / 2, documents, 0, 30_000, pairs, []);

    [Fact]
    public void Tokens_set_the_pace_when_calls_are_long_and_every_call_is_charged_its_whole_output_budget()
    {
        // 1,000 long calls of 30,000 prompt tokens + 1,000 output budget: 31M tokens at 300,000 TPM = 103.3 min.
        var plan = CapacityPlanner.Plan(Estimate(0, 0, 1_000, 30_000_000), 300_000, 1_800, 0, Run, 16, new HostingPrices());

        Assert.Equal(31_000_000, plan.ChargedTokens);
        Assert.True(plan.TokenBound);
        Assert.Equal(31_000_000 / 300_000.0, plan.WallClock.TotalMinutes, 6);
        Assert.Equal(1_000 / 1_800.0, plan.RequestMinutes, 6);
    }

    [Fact]
    public void Requests_set_the_pace_when_calls_are_many_and_small_and_headroom_leaves_part_of_the_quota_unused()
    {
        // 90,000 calls of 100 prompt tokens + 200 output budget: 27M tokens = 100 min at 300K TPM × 0.9; 90,000 requests at
        // 600 RPM × 0.9 = 166.7 min, so the requests govern.
        var plan = CapacityPlanner.Plan(Estimate(90_000, 9_000_000, 0, 0), 300_000, 600, 0.1, Run, 16, new HostingPrices());

        Assert.False(plan.TokenBound);
        Assert.Equal(90_000 / 540.0, plan.WallClock.TotalMinutes, 6);
    }

    [Fact]
    public void Activities_follow_the_batch_sizes_and_sub_orchestrations_the_fan_out_size()
    {
        var plan = CapacityPlanner.Plan(Estimate(5_000, 1, 0, 0, queries: 10_000, documents: 801, pairs: 1_000), 300_000, 1_800, 0, Run, 16, new HostingPrices());

        Assert.Equal(157, plan.ActivitiesPerStage[StageNames.MetaInfoExtraction]);      // ⌈10,000 / 64⌉
        Assert.Equal(101, plan.ActivitiesPerStage[StageNames.IndexDocuments]);        // ⌈801 / 8⌉
        Assert.Equal(32, plan.ActivitiesPerStage[StageNames.InstructionWriting]);       // ⌈1,000 / 32⌉
        Assert.Equal(63, plan.ActivitiesPerStage[StageNames.PairGeneration]);           // ⌈1,000 / 16⌉
        Assert.Equal(157 + 101 + 32 + 63 + CapacityPlanner.FixedActivitiesPerRound, plan.Activities);
        Assert.Equal(10 + 7 + 2 + 4, plan.SubOrchestrations);                          // ⌈157/16⌉ + ⌈101/16⌉ + ⌈32/16⌉ + ⌈63/16⌉

        // Groups of 300 (the default); a fan-out of at most 16 slices calls its activities directly (no group).
        var small = CapacityPlanner.Plan(Estimate(5_000, 1, 0, 0, queries: 10_000, documents: 100, pairs: 1_000), 300_000, 1_800, 0, Run, 300, new HostingPrices());
        Assert.Equal(13, small.ActivitiesPerStage[StageNames.IndexDocuments]);
        Assert.Equal(1 + 0 + 1 + 1, small.SubOrchestrations);                         // ⌈157/300⌉ + direct + ⌈32/300⌉ + ⌈63/300⌉
        Assert.Equal((plan.Activities * CapacityPlanner.TransactionsPerActivity) + (5_000 * CapacityPlanner.TransactionsPerModelCall), plan.StorageTransactions);
    }

    [Fact]
    public void Hosting_cost_is_instance_memory_time_executions_and_transactions_at_the_configured_prices()
    {
        var prices = new HostingPrices { PerGbSecond = 0.00002m, PerMillionExecutions = 1m, InstanceMemoryMb = 2048, Instances = 2, PerTenThousandTransactions = 0.01m };
        // 6M charged tokens at 60,000 TPM: 100 min = 6,000 s; 2 GB × 2 instances × 6,000 s × 0.00002 = 0.48.
        var plan = CapacityPlanner.Plan(Estimate(0, 0, 1_000, 5_000_000), 60_000, 10_000, 0, Run, 16, prices);

        Assert.Equal(decimal.Round(0.48m + (plan.Activities / 1_000_000m), 4), plan.FunctionsCost);
        Assert.Equal(decimal.Round(plan.StorageTransactions * 0.01m / 10_000m, 4), plan.StorageCost);
        Assert.Equal(plan.FunctionsCost + plan.StorageCost, plan.HostingCost);
    }
}
