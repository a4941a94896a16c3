using Microsoft.DurableTask.Client;
using WildLong.Functions.Scheduling;
using WildLong.Functions.Tests.Support;
using WildLong.Functions.Triggers;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Storage.Graphs;
using WildLong.Storage.Runs;

namespace WildLong.Functions.Tests;

/// <summary>Scheduled regeneration: the decision rules, and ticks against real graph and run tables (Azurite).</summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class ScheduledRegenerationTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Nothing_merged_means_nothing_to_generate()
        => Assert.False(RegenerationPolicy.Decide([], [], null, null, "c").Start);

    [Fact]
    public void Shards_and_no_dataset_start_a_generation()
        => Assert.True(RegenerationPolicy.Decide([Shard(T0)], [], null, null, "c").Start);

    [Fact]
    public void Unchanged_shards_since_the_last_completed_dataset_are_skipped()
    {
        var decision = RegenerationPolicy.Decide([Shard(T0)], [Run("r1", "Completed", T0.AddMinutes(5))], null, null, "c");
        Assert.False(decision.Start);
        Assert.Contains("no graph shard changed", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shard_merged_after_the_last_dataset_starts_one_and_unfinished_runs_do_not_count()
    {
        var runs = new[] { Run("r1", "Completed", T0.AddMinutes(-5)), Run("r2", "Running", T0.AddMinutes(10)) };
        Assert.True(RegenerationPolicy.Decide([Shard(T0)], runs, null, null, "c").Start);
    }

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Running)]
    [InlineData(OrchestrationRuntimeStatus.Pending)]
    [InlineData(OrchestrationRuntimeStatus.Suspended)]
    public void A_scheduled_generation_still_going_is_not_started_twice(OrchestrationRuntimeStatus status)
        => Assert.False(RegenerationPolicy.Decide([Shard(T0)], [], status, null, "c").Start);

    [Fact]
    public void The_same_graph_state_already_generated_is_skipped()
        => Assert.False(RegenerationPolicy.Decide([Shard(T0)], [], null, OrchestrationRuntimeStatus.Completed, "c").Start);

    [Theory]
    [InlineData(OrchestrationRuntimeStatus.Failed)]
    [InlineData(OrchestrationRuntimeStatus.Terminated)]
    public void A_generation_of_this_graph_state_that_did_not_complete_is_tried_again(OrchestrationRuntimeStatus status)
        => Assert.True(RegenerationPolicy.Decide([Shard(T0)], [], null, status, "c").Start);

    [Fact]
    public async Task Ticks_start_once_per_graph_change_on_real_tables()
    {
        using var app = new TestApp(azurite, new Dictionary<string, string?> { ["WildLong:Schedule:Pairs"] = "30", ["WildLong:Schedule:Seed"] = "9" });
        var function = app.Create<ScheduledRegenerationFunction>();
        var client = new FakeDurableTaskClient();

        Assert.False((await function.TickAsync(client, CancellationToken.None)).Start);
        Assert.Empty(client.Scheduled);

        await GraphFixtures.MergeShardAsync(app, "shard-a", "v1");
        Assert.True((await function.TickAsync(client, CancellationToken.None)).Start);
        var (name, id, input) = Assert.Single(client.Scheduled);
        Assert.Equal("GenerateDatasetOrchestrator", name);
        var request = Assert.IsType<GenerationRequest>(input);
        // The instance id is the run id, so GET /api/runs/{runId} finds the scheduled run.
        Assert.Equal(request.RunId, id);
        Assert.Equal(new RunSettings(30, 9), request.Settings);
        Assert.StartsWith("scheduled-", request.RunId, StringComparison.Ordinal);

        // Still pending: the next tick leaves it alone.
        Assert.False((await function.TickAsync(client, CancellationToken.None)).Start);

        // It finished and recorded its dataset after the shard merge: nothing changed, nothing starts.
        client.Seed("GenerateDatasetOrchestrator", id, OrchestrationRuntimeStatus.Completed, input: request);
        var runs = app.Get<RunStore>();
        var finished = DateTimeOffset.UtcNow.AddSeconds(1);
        await runs.UpsertAsync(new RunRecord(request.RunId, "Completed", finished, finished, 30, 9, "{}", request.RunId + "/dataset/"), CancellationToken.None);
        Assert.False((await function.TickAsync(client, CancellationToken.None)).Start);
        Assert.Single(client.Scheduled);

        // The shard is merged again later: a new generation with a new run id under the same singleton instance.
        await runs.UpsertAsync(new RunRecord(request.RunId, "Completed", finished, DateTimeOffset.UtcNow.AddMinutes(-10), 30, 9, "{}", request.RunId + "/dataset/"), CancellationToken.None);
        await GraphFixtures.MergeShardAsync(app, "shard-a", "v2");
        Assert.True((await function.TickAsync(client, CancellationToken.None)).Start);
        Assert.Equal(2, client.Scheduled.Count);
        var second = Assert.IsType<GenerationRequest>(client.Scheduled[1].Input);
        Assert.NotEqual(request.RunId, second.RunId);
        Assert.Equal(second.RunId, client.Scheduled[1].InstanceId);
        // The first run's history is still there under its own id (no shared singleton id to overwrite).
        Assert.Equal(OrchestrationRuntimeStatus.Completed, client.Instances[request.RunId].RuntimeStatus);

        // While that one runs, a further graph change waits (the singleton check is a query over scheduled runs).
        await GraphFixtures.MergeShardAsync(app, "shard-a", "v3");
        var waiting = await function.TickAsync(client, CancellationToken.None);
        Assert.False(waiting.Start);
        Assert.Contains("still Pending", waiting.Reason, StringComparison.Ordinal);

        // A fan-out group of a scheduled run shares the prefix but is not a scheduled run.
        client.Seed("GenerateDatasetOrchestrator", second.RunId, OrchestrationRuntimeStatus.Completed, input: second);
        client.Seed("FanOutOrchestrator", second.RunId + FanOut.GroupIdInfix + "g", OrchestrationRuntimeStatus.Running);
        Assert.True((await function.TickAsync(client, CancellationToken.None)).Start);
    }

    [Fact]
    public async Task A_disabled_schedule_does_nothing()
    {
        using var app = new TestApp(azurite, new Dictionary<string, string?> { ["WildLong:Schedule:Enabled"] = "false" });
        await GraphFixtures.MergeShardAsync(app, "shard-a", "v1");
        var client = new FakeDurableTaskClient();
        Assert.False((await app.Create<ScheduledRegenerationFunction>().TickAsync(client, CancellationToken.None)).Start);
        Assert.Empty(client.Scheduled);
    }

    private static GraphShardInfo Shard(DateTimeOffset completed) => new("shard", "id", "v1", ["report"], 3, completed);

    private static RunRecord Run(string id, string status, DateTimeOffset updated) => new(id, status, updated, updated, 10, 1, "{}", id + "/dataset/");
}
