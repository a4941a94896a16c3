using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Engine;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Tests.Support;
using WildLong.Storage.Blobs;
using WildLong.Storage.Graphs;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.EndToEnd;

/// <summary>
/// The durable pipeline on the azure-storage engine (Azurite): a full run keeps its promises, and every stage is
/// idempotent — the same run again, a shard uploaded again, two shards merging at once — without a second model call
/// for work already done and without a count off by one.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class AzureStorageEngineRunTests(AzuriteFixture azurite, SharedAzureStorageRun shared, ITestOutputHelper output)
    : IClassFixture<SharedAzureStorageRun>
{
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_run_completes_with_unique_pairs_indexed_documents_live_progress_and_exact_graph_counts()
    {
        using var cts = new CancellationTokenSource(Generous);
        var (host, _, run) = await shared.GetAsync(azurite, output, cts.Token);

        await DurableRunAssertions.AssertCompletedRunAsync(host, run, cts.Token);
        output.WriteLine($"azure-storage engine: {run.Result.Pairs} pairs in {run.Elapsed.TotalSeconds:F1} s, {run.SimulatorRequests} model requests, {run.StatusesSeen.Count} statuses seen");
    }

    [Fact]
    public async Task The_same_run_again_under_a_new_instance_finds_every_output_and_calls_no_model()
    {
        using var cts = new CancellationTokenSource(Generous);
        var (host, simulator, run) = await shared.GetAsync(azurite, output, cts.Token);
        var graphs = host.Services.GetRequiredService<GraphCountStore>();
        var pairsBefore = await DurableRunAssertions.ReadPairsAsync(host, run.Result, cts.Token);
        var totalsBefore = await graphs.ReadTotalsAsync(cts.Token);
        var requestsBefore = simulator.Metrics.Snapshot().Totals.Requests;

        var again = "again-" + Guid.NewGuid().ToString("N")[..12];
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(RunOrchestrator), run.Request, new StartOrchestrationOptions(again), cts.Token);
        var (metadata, _) = await CompletedRun.WaitAsync(host.Client, again, cts.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        var result = metadata.ReadOutputAs<RunResult>()!;
        Assert.Equal(run.Result.Pairs, result.Pairs);
        var pairsAfter = await DurableRunAssertions.ReadPairsAsync(host, result, cts.Token);
        Assert.Equal(pairsBefore.Select(p => p.Id), pairsAfter.Select(p => p.Id));
        Assert.Equal(pairsBefore.Select(p => p.Line), pairsAfter.Select(p => p.Line));
        PipelineTestData.AssertSameCounts(totalsBefore, await graphs.ReadTotalsAsync(cts.Token));
        Assert.Equal(requestsBefore, simulator.Metrics.Snapshot().Totals.Requests);
        Assert.Equal(run.Result.Totals.Extraction.Succeeded, result.Totals.Extraction.Succeeded);
    }

    [Fact]
    public async Task A_shard_uploaded_again_with_the_same_content_is_extracted_without_model_calls_and_counts_stay_exact()
    {
        using var cts = new CancellationTokenSource(Generous);
        var (host, simulator, _) = await shared.GetAsync(azurite, output, cts.Token);
        var graphs = host.Services.GetRequiredService<GraphCountStore>();
        var mergedBefore = await graphs.ReadMergedAsync(cts.Token);
        var ledgerBefore = await graphs.ListShardsAsync(cts.Token);
        var requestsBefore = simulator.Metrics.Snapshot().Totals.Requests;
        var shard = PipelineTestData.InputPrefix + PipelineTestData.ShardNames[0];
        await PipelineTestData.UploadAsync(host.Blobs, host.Names.Containers.Queries, shard, Path.Combine(shared.InputFolder, "queries", PipelineTestData.ShardNames[0]), cts.Token);

        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(
            nameof(ExtractShardOrchestrator), new InputBlobRequest(new BlobRef(host.Names.Containers.Queries, shard), host.Shape), cts.Token);
        var metadata = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        var summary = metadata.ReadOutputAs<InputStepResult>()!.Summary;
        Assert.Equal(PipelineTestData.QueriesPerShard, summary.Items);
        Assert.Equal(0, summary.FailedSlices);
        PipelineTestData.AssertSameCounts(mergedBefore, await graphs.ReadMergedAsync(cts.Token));
        Assert.Equal(ledgerBefore.Select(e => (e.ShardKey, e.Version, e.EntryCount, e.ContentSha256)), (await graphs.ListShardsAsync(cts.Token)).Select(e => (e.ShardKey, e.Version, e.EntryCount, e.ContentSha256)));
        Assert.Equal(requestsBefore, simulator.Metrics.Snapshot().Totals.Requests);
    }

    [Fact]
    public async Task Two_shards_extracted_at_the_same_time_merge_into_exact_totals()
    {
        using var cts = new CancellationTokenSource(Generous);
        var names = TestStorageNames.Unique();
        var folder = Directory.CreateTempSubdirectory("wildlong-e2e-").FullName;
        try
        {
            await using var simulator = await PipelineTestData.StartSimulatorAsync(cts.Token);
            await using var host = await PipelineTestHost.StartAsync(EngineBackends.AzureStorage, azurite, simulator, names, output, cancellationToken: cts.Token);
            await PipelineTestData.UploadInputsAsync(host, folder, cts.Token);

            var ids = await Task.WhenAll(PipelineTestData.ShardNames.Select(shard => host.Client.ScheduleNewOrchestrationInstanceAsync(
                nameof(ExtractShardOrchestrator),
                new InputBlobRequest(new BlobRef(names.Containers.Queries, PipelineTestData.InputPrefix + shard), host.Shape),
                cts.Token)));
            var results = await Task.WhenAll(ids.Select(id => host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cts.Token)));

            Assert.All(results, r => Assert.Equal(OrchestrationRuntimeStatus.Completed, r.RuntimeStatus));
            var summaries = results.Select(r => r.ReadOutputAs<InputStepResult>()!.Summary).ToList();
            Assert.All(summaries, s => Assert.Equal(PipelineTestData.QueriesPerShard, s.Items));
            var records = await PipelineTestData.ExtractedRecordsAsync(host, cts.Token);
            Assert.Equal(summaries.Sum(s => s.Succeeded), records.Count);
            var expected = PipelineTestData.ExpectedGraphs(host, records);
            var graphs = host.Services.GetRequiredService<GraphCountStore>();
            PipelineTestData.AssertSameCounts(expected, await graphs.ReadMergedAsync(cts.Token));
            await graphs.CompactAsync(cts.Token);
            PipelineTestData.AssertSameCounts(expected, await graphs.ReadTotalsAsync(cts.Token));
            Assert.Equal(2, (await graphs.ListShardsAsync(cts.Token)).Count);
            output.WriteLine($"{records.Count} records of {summaries.Sum(s => s.Items)} queries; {expected.Graphs.Sum(g => g.EdgeCount)} edges");
        }
        finally
        {
            await PipelineTestData.DeleteAsync(azurite.ConnectionString, names);
            Directory.Delete(folder, recursive: true);
        }
    }
}
