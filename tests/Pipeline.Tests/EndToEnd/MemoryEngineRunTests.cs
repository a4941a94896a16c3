using WildLong.Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.EndToEnd;

/// <summary>
/// A full run on the embedded engine's memory backend (orchestration state in memory, data in Azurite): the
/// pipeline's promises hold without durable orchestration state.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MemoryEngineRunTests(AzuriteFixture azurite, ITestOutputHelper output)
    : AzuriteRunTest(azurite, output, "wildlong-e2e-")
{
    [Fact]
    public async Task A_run_completes_with_unique_pairs_indexed_documents_live_progress_and_exact_graph_counts()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var simulator = await PipelineTestData.StartSimulatorAsync(cts.Token);
        await using var host = await StartHostAsync(simulator, settings: null, cts.Token);

        var run = await CompletedRun.RunAsync(host, simulator, Folder, cts.Token);

        await DurableRunAssertions.AssertCompletedRunAsync(host, run, cts.Token);
        Output.WriteLine($"memory engine: {run.Result.Pairs} pairs in {run.Elapsed.TotalSeconds:F1} s, {run.SimulatorRequests} model requests, {run.StatusesSeen.Count} statuses seen");
    }
}
