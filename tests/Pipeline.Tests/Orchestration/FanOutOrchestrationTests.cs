using System.Net;
using System.Net.Sockets;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Orchestration;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Tests.Orchestration;

/// <summary>
/// The fan-out that every pipeline stage goes through, on the Durable Task in-process test host with a fake activity
/// under a real activity name: a slice whose activity keeps failing is retried, then counted as failed while the
/// others are summed; big fan-outs go through <see cref="FanOutOrchestrator"/> groups with the same result.
/// </summary>
public sealed class FanOutOrchestrationTests
{
    private const string Activity = nameof(ExtractQueriesActivity);
    private const string Probe = "FanOutProbe";
    private const string Source = "queries/in/shard.jsonl";
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task FanOutOrchestrator_counts_a_slice_that_always_fails_after_its_attempts_and_sums_the_others()
    {
        var fake = new SliceActivityFake(failingIndex: 2);
        await using var host = await StartAsync(fake);
        using var cts = new CancellationTokenSource(Generous);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FanOutOrchestrator), new FanOutRequest(Activity, Slices(5, 10), Attempts: 2), cts.Token);
        var result = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        var summary = result.ReadOutputAs<WorkSummary>()!;
        Assert.Equal(50, summary.Items);
        Assert.Equal(4 * 9, summary.Succeeded);
        Assert.Equal((4 * 1) + 10, summary.Rejected);
        Assert.Equal(4 * 0.25m, summary.Cost);
        Assert.Equal(1, summary.FailedSlices);
        var failure = Assert.Single(summary.Failures!);
        Assert.Contains($"{Activity} failed for {Source} items 20..29", failure, StringComparison.Ordinal);
        Assert.Contains("slice 2 always fails", failure, StringComparison.Ordinal);
        Assert.Equal(2, fake.Calls[2]);
        Assert.All(Enumerable.Range(0, 5).Where(i => i != 2), i => Assert.Equal(1, fake.Calls[i]));
    }

    [Fact]
    public async Task FanOut_calls_few_slices_directly_and_reports_each_summary_as_it_completes()
    {
        var fake = new SliceActivityFake(failingIndex: 0);
        await using var host = await StartAsync(fake);
        using var cts = new CancellationTokenSource(Generous);

        var result = await RunProbeAsync(host, new FanOutProbe(Activity, Slices(3, 7), PerSubOrchestration: 4, Attempts: 1), cts.Token);

        Assert.Equal(21, result.Total.Items);
        Assert.Equal(2 * 6, result.Total.Succeeded);
        Assert.Equal(2 + 7, result.Total.Rejected);
        Assert.Equal(1, result.Total.FailedSlices);
        Assert.Equal(3, result.Reported.Count);
        Assert.Equal(1, result.Reported.Count(s => s.FailedSlices == 1));
        Assert.Equal(result.Total, WorkSummary.Sum(result.Reported), SummaryComparer.Instance);
        Assert.Equal(1, fake.Calls[0]);
    }

    [Fact]
    public async Task FanOut_groups_many_slices_into_sub_orchestrations_that_keep_the_configured_attempts()
    {
        var fake = new SliceActivityFake(failingIndex: 4);
        await using var host = await StartAsync(fake);
        using var cts = new CancellationTokenSource(Generous);

        var result = await RunProbeAsync(host, new FanOutProbe(Activity, Slices(7, 3), PerSubOrchestration: 2, Attempts: 1), cts.Token);

        Assert.Equal(21, result.Total.Items);
        Assert.Equal(6 * 2, result.Total.Succeeded);
        Assert.Equal(6 + 3, result.Total.Rejected);
        Assert.Equal(1, result.Total.FailedSlices);
        Assert.Contains("items 12..14", Assert.Single(result.Total.Failures!), StringComparison.Ordinal);
        // Four groups (2 + 2 + 2 + 1 slices), one progress report each.
        Assert.Equal(4, result.Reported.Count);
        Assert.Equal([2, 2, 2, 1], result.Reported.Select(s => s.Items / 3).Order().Reverse());
        // One attempt configured: the failing slice ran once, not the sub-orchestration default of three.
        Assert.Equal(1, fake.Calls[4]);
        Assert.Equal(7, fake.Calls.Count);
    }

    [Fact]
    public async Task FanOut_sends_more_slices_than_the_direct_limit_through_a_group_even_when_they_fit_in_one()
    {
        var fake = new SliceActivityFake(failingIndex: -1);
        await using var host = await StartAsync(fake);
        using var cts = new CancellationTokenSource(Generous);

        var result = await RunProbeAsync(host, new FanOutProbe(Activity, Slices(FanOut.DirectCallLimit + 4, 2), PerSubOrchestration: 300, Attempts: 1), cts.Token);

        // One report: the whole fan-out went through one group (called directly, each slice would have reported).
        var report = Assert.Single(result.Reported);
        Assert.Equal((FanOut.DirectCallLimit + 4) * 2, report.Items);
        Assert.Equal(report, result.Total, SummaryComparer.Instance);
    }

    [Fact]
    public async Task Each_group_runs_under_its_parents_id_prefix_and_publishes_its_progress()
    {
        var fake = new SliceActivityFake(failingIndex: 4);
        await using var host = await StartAsync(fake);
        using var cts = new CancellationTokenSource(Generous);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(Probe, new FanOutProbe(Activity, Slices(5, 3), PerSubOrchestration: 2, Attempts: 1), cts.Token);
        await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        var groups = new List<OrchestrationMetadata>();
        await foreach (var group in host.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = id + FanOut.GroupIdInfix, FetchInputsAndOutputs = true }))
        {
            groups.Add(group);
        }

        // Three groups (2 + 2 + 1 slices); each one's last status is all of its work: one item rejected per slice, the failed slice's three.
        Assert.Equal(3, groups.Count);
        var progress = groups.Select(g => g.ReadCustomStatusAs<FanOutProgress>()!).ToList();
        Assert.All(progress, p => Assert.Equal((Activity, p.Slices), (p.Activity, p.SlicesDone)));
        Assert.Equal([2, 2, 1], progress.Select(p => p.Slices).Order().Reverse());
        Assert.Equal(15, progress.Sum(p => p.Done.Items));
        Assert.Equal(4 + 3, progress.Sum(p => p.Done.Rejected));
    }

    private static List<WorkSlice> Slices(int count, int size)
        => [.. Enumerable.Range(0, count).Select(i => new WorkSlice("shard", new BlobRef("queries", "in/shard.jsonl"), "v1", i, i * size, size))];

    private static async Task<FanOutProbeResult> RunProbeAsync(DurableTaskTestHost host, FanOutProbe probe, CancellationToken cancellationToken)
    {
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(Probe, probe, cancellationToken);
        var metadata = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancellationToken);
        Assert.True(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage}");
        return metadata.ReadOutputAs<FanOutProbeResult>()!;
    }

    /// <summary>
    /// Starts the test host on a port the system picked free. Left to itself the host draws a random port in
    /// 30000–40000, which lies in Linux's ephemeral range: a CI run once failed with "address already in use" when an
    /// Azurite of another test held it. A port freed a moment ago can still be taken in between, so a clash retries.
    /// </summary>
    private static async Task<DurableTaskTestHost> StartAsync(SliceActivityFake fake)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await DurableTaskTestHost.StartAsync(registry =>
                {
                    registry.AddOrchestrator<FanOutOrchestrator>();
                    registry.AddActivityFunc<WorkSlice, WorkSummary>(Activity, (_, slice) => fake.Run(slice));
                    registry.AddOrchestratorFunc<FanOutProbe, FanOutProbeResult>(Probe, async (context, probe) =>
                    {
                        var reported = new List<WorkSummary>();
                        var total = await FanOut.RunAsync(context, probe.Activity, probe.Slices, probe.PerSubOrchestration, probe.Attempts, reported.Add);
                        return new FanOutProbeResult(total, reported);
                    });
                }, new DurableTaskTestHostOptions { Port = FreeLoopbackPort() });
            }
            catch (IOException ex) when (attempt < 5 && IsAddressInUse(ex))
            {
            }
        }
    }

    private static bool IsAddressInUse(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
