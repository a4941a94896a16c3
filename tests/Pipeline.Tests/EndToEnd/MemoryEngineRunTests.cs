using WildLong.Engine;
using WildLong.Pipeline.Tests.Support;
using WildLong.Storage.Tests.Support;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.EndToEnd;

/// <summary>
/// A full run on the embedded engine's memory backend (orchestration state in memory, data in Azurite): the
/// pipeline's promises hold without durable orchestration state.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class MemoryEngineRunTests(AzuriteFixture azurite, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestStorageNames names = TestStorageNames.Unique();
    private readonly string folder = Directory.CreateTempSubdirectory("wildlong-e2e-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await PipelineTestData.DeleteAsync(azurite.ConnectionString, names);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task A_run_completes_with_unique_pairs_indexed_documents_live_progress_and_exact_graph_counts()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var simulator = await PipelineTestData.StartSimulatorAsync(cts.Token);
        await using var host = await PipelineTestHost.StartAsync(EngineBackends.Memory, azurite, simulator, names, output, cancellationToken: cts.Token);

        var run = await CompletedRun.RunAsync(host, simulator, folder, cts.Token);

        await DurableRunAssertions.AssertCompletedRunAsync(host, run, cts.Token);
        output.WriteLine($"memory engine: {run.Result.Pairs} pairs in {run.Elapsed.TotalSeconds:F1} s, {run.SimulatorRequests} model requests, {run.StatusesSeen.Count} statuses seen");
    }
}
