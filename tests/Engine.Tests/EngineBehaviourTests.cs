using Microsoft.DurableTask.Client;
using WildLong.Engine.Tests.Support;
using WildLong.Engine.Tests.Toys;
using Xunit.Abstractions;

namespace WildLong.Engine.Tests;

/// <summary>
/// What every backend must do for the pipeline's orchestrations: fan-out, sub-orchestrations, custom status while
/// running, and activity failures an orchestrator can catch. Each backend runs these through its own subclass.
/// </summary>
public abstract class EngineBehaviourTests(ITestOutputHelper output)
{
    protected static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    protected ITestOutputHelper Output { get; } = output;

    protected abstract string BackendName { get; }

    /// <summary>Configuration for a host on <paramref name="taskHub"/>.</summary>
    protected abstract Dictionary<string, string?> Settings(string taskHub);

    protected static string NewTaskHub() => "t" + Guid.NewGuid().ToString("N")[..16];

    protected Task<TestEngineHost> StartHostAsync(string taskHub, string name = "host", ActivityGate? gate = null, bool runWorker = true)
        => TestEngineHost.StartAsync(Settings(taskHub), Output, name, gate, runWorker);

    protected static async Task<OrchestrationMetadata> RunAsync<TInput>(DurableTaskClient client, string orchestrator, TInput input)
    {
        using var cts = new CancellationTokenSource(Generous);
        var id = await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, cts.Token);
        return await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);
    }

    [Fact]
    public async Task A_fan_out_of_200_activities_sums_their_results_and_activities_get_injected_services()
    {
        await using var host = await StartHostAsync(NewTaskHub());

        var result = await RunAsync(host.Client, nameof(FanOutOrchestrator), 200);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(200L * 201 / 2, result.ReadOutputAs<long>());
        Assert.Equal(Enumerable.Range(1, 200), host.Log.Completed.Order());
    }

    [Fact]
    public async Task Sub_orchestrations_fan_out_and_their_results_reach_the_parent()
    {
        await using var host = await StartHostAsync(NewTaskHub());

        var result = await RunAsync(host.Client, nameof(SubOrchestrationFanOut), new SubOrchestrationFanOutInput(4, 25));

        Assert.True(result.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"status {result.RuntimeStatus}: {result.FailureDetails?.ErrorMessage}");
        Assert.Equal(4L * (25 * 26 / 2), result.ReadOutputAs<long>());
        Assert.Equal(100, host.Log.Count);
    }

    [Fact]
    public async Task The_client_reads_the_custom_status_an_orchestrator_sets_while_it_runs()
    {
        await using var host = await StartHostAsync(NewTaskHub());
        using var cts = new CancellationTokenSource(Generous);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(StatusOrchestrator), "alpha", cts.Token);

        OrchestrationMetadata? running = null;
        await Eventually.HoldsAsync(
            async () =>
            {
                running = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, cts.Token);
                return running?.SerializedCustomStatus is not null;
            },
            "the custom status to appear");
        Assert.Equal(OrchestrationRuntimeStatus.Running, running!.RuntimeStatus);
        Assert.Equal(new ToyStatus("waiting", "alpha"), running.ReadCustomStatusAs<ToyStatus>());

        await host.Client.RaiseEventAsync(id, StatusOrchestrator.EventName, "beta", cts.Token);
        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal("alpha:beta", done.ReadOutputAs<string>());
        Assert.Equal(new ToyStatus("done", "beta"), done.ReadCustomStatusAs<ToyStatus>());
    }

    [Fact]
    public async Task An_orchestrator_catches_a_failing_activity_and_continues()
    {
        await using var host = await StartHostAsync(NewTaskHub());

        var result = await RunAsync(host.Client, nameof(RecoveringOrchestrator), "x");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal($"{typeof(InvalidOperationException).FullName}|boom: x|7", result.ReadOutputAs<string>());
        Assert.Equal([7], host.Log.Completed);
    }

    /// <summary>
    /// A wide fan-out of tiny activities completes with every result counted once. (How many activities per second
    /// each backend does is measured in <c>bench/EngineThroughput</c>, not in a unit test.)
    /// </summary>
    [Fact]
    public async Task A_500_activity_fan_out_completes_with_every_result_counted_once()
    {
        await using var host = await StartHostAsync(NewTaskHub());

        var result = await RunAsync(host.Client, nameof(FanOutOrchestrator), 500);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(500L * 501 / 2, result.ReadOutputAs<long>());
    }
}
