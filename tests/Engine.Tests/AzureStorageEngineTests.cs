using Microsoft.DurableTask.Client;
using WildLong.Engine.Tests.Support;
using WildLong.Engine.Tests.Toys;
using Xunit.Abstractions;

namespace WildLong.Engine.Tests;

/// <summary>
/// The shared engine behaviour on the Azure Storage backend (Azurite), plus what only a durable backend gives:
/// an orchestration outlives its host, several hosts share one task hub, and a client-only host sees and starts work.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class AzureStorageEngineTests(AzuriteFixture azurite, ITestOutputHelper output) : EngineBehaviourTests(output)
{
    protected override string BackendName => EngineBackends.AzureStorage;

    protected override Dictionary<string, string?> Settings(string taskHub) => new()
    {
        ["WildLong:Engine:Backend"] = EngineBackends.AzureStorage,
        ["WildLong:Engine:TaskHubName"] = taskHub,
        ["WildLong:Engine:MaxQueuePollingInterval"] = "00:00:01",
        ["WildLong:Storage:ConnectionString"] = azurite.ConnectionString,
    };

    [Fact]
    public async Task An_orchestration_stopped_mid_way_is_completed_by_a_new_host_on_the_same_task_hub()
    {
        var hub = NewTaskHub();
        using var cts = new CancellationTokenSource(Generous);
        // The first host runs activities 1-3; activity 4 is held, so the host stops with work in flight.
        var gate = new ActivityGate { HoldFrom = 4 };
        var first = await StartHostAsync(hub, "first", gate);
        string id;
        try
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), 8, cts.Token);
            // The status turns 4 in the checkpoint that records activity 3's result and schedules activity 4.
            await Eventually.HoldsAsync(
                async () => (await first.Client.GetInstanceAsync(id, getInputsAndOutputs: true, cts.Token))?.SerializedCustomStatus == "4",
                "the orchestration to reach step 4");
        }
        finally
        {
            await first.DisposeAsync();
        }

        await using var second = await StartHostAsync(hub, "second");
        var result = await second.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(36L, result.ReadOutputAs<long>());
        Assert.Equal([1, 2, 3], first.Log.Completed);
        Assert.Equal([4, 5, 6, 7, 8], second.Log.Completed);
    }

    [Fact]
    public async Task Two_hosts_with_their_own_workers_complete_one_fan_out_together()
    {
        var hub = NewTaskHub();
        using var cts = new CancellationTokenSource(Generous);
        var settings = Settings(hub);
        settings["WildLong:Engine:MaxConcurrentActivities"] = "4";
        // The first host holds its activities until the second has done one, so both must take part.
        var firstGate = new ActivityGate { HoldFrom = 1 };
        await using var first = await TestEngineHost.StartAsync(settings, Output, "first", firstGate);
        var id = await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FanOutOrchestrator), 100, cts.Token);
        await Eventually.HoldsAsync(() => firstGate.Held > 0, "the first host to take an activity");

        await using var second = await TestEngineHost.StartAsync(settings, Output, "second");
        await Eventually.HoldsAsync(() => second.Log.Count > 0, "the second host to run an activity");
        firstGate.Open();
        var result = await first.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(100L * 101 / 2, result.ReadOutputAs<long>());
        Assert.NotEmpty(first.Log.Completed);
        Assert.NotEmpty(second.Log.Completed);
        Assert.Equal(Enumerable.Range(1, 100), first.Log.Completed.Concat(second.Log.Completed).Order());
        Output.WriteLine($"first host ran {first.Log.Count} activities, second {second.Log.Count}");
    }

    [Fact]
    public async Task A_client_only_host_reads_and_starts_orchestrations_that_a_worker_host_runs()
    {
        var hub = NewTaskHub();
        await using var worker = await StartHostAsync(hub, "worker");
        var done = await RunAsync(worker.Client, nameof(FanOutOrchestrator), 10);
        await using var clientOnly = await StartHostAsync(hub, "client", runWorker: false);
        using var cts = new CancellationTokenSource(Generous);

        var seen = await clientOnly.Client.GetInstanceAsync(done.InstanceId, getInputsAndOutputs: true, cts.Token);
        var started = await RunAsync(clientOnly.Client, nameof(FanOutOrchestrator), 4);

        Assert.NotNull(seen);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, seen.RuntimeStatus);
        Assert.Equal(55L, seen.ReadOutputAs<long>());
        Assert.Equal(OrchestrationRuntimeStatus.Completed, started.RuntimeStatus);
        Assert.Equal(10L, started.ReadOutputAs<long>());
        Assert.Equal(14, worker.Log.Count);
        Assert.Equal(0, clientOnly.Log.Count);
    }
}
