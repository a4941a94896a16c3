using System.Globalization;
using WildLong.Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.Batch;

/// <summary>
/// Batch mode end to end against the simulator's Batch API on the memory engine: the same inputs and seed give the
/// dataset an online run gives (the simulator answers a batch line exactly as the same online request), no model
/// call goes online, and the manifest prices every stage at the batch discount.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SimulatorBatchRunTests(AzuriteFixture azurite, ITestOutputHelper output)
    : AzuriteRunTest(azurite, output, "wildlong-batch-")
{
    [Fact]
    public async Task A_batch_run_gives_the_pairs_of_an_online_run_with_no_online_call_and_the_discount_per_stage()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await using var onlineSimulator = await PipelineTestData.StartSimulatorAsync(cts.Token);
        await using var batchSimulator = await PipelineTestData.StartSimulatorAsync(cts.Token);

        string onlinePairs, onlineManifest;
        await using (var online = await StartHostAsync(onlineSimulator,
            BatchRunSupport.Overrides(Path.Combine(Folder, "online-cache"), provider: null), cts.Token))
        {
            await BatchRunSupport.UploadInputsAsync(online, Path.Combine(Folder, "online-inputs"), cts.Token);
            var (result, elapsed) = await BatchRunSupport.RunAsync(online, BatchRunSupport.Request(online, "run-online"), cts.Token);
            onlinePairs = await BatchRunSupport.DatasetFileAsync(online, result, "pairs.jsonl", cts.Token);
            onlineManifest = await BatchRunSupport.DatasetFileAsync(online, result, "manifest.json", cts.Token);
            Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"online: {result.Pairs} pairs, cost {result.Cost:0.000000} in {elapsed.TotalSeconds:F1} s"));
        }

        await using var batch = await StartHostAsync(batchSimulator,
            BatchRunSupport.Overrides(Path.Combine(Folder, "batch-cache"), "service"), cts.Token, MoreNames());
        Assert.NotNull(batch.Shape.Batch);
        await BatchRunSupport.UploadInputsAsync(batch, Path.Combine(Folder, "batch-inputs"), cts.Token);
        var (batchResult, batchElapsed) = await BatchRunSupport.RunAsync(batch, BatchRunSupport.Request(batch, "run-batch"), cts.Token);
        var batchPairs = await BatchRunSupport.DatasetFileAsync(batch, batchResult, "pairs.jsonl", cts.Token);
        var batchManifest = await BatchRunSupport.DatasetFileAsync(batch, batchResult, "manifest.json", cts.Token);
        Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batch: {batchResult.Pairs} pairs, cost {batchResult.Cost:0.000000} in {batchElapsed.TotalSeconds:F1} s"));

        var expected = PipelineTestData.ParsePairs(onlinePairs);
        var actual = PipelineTestData.ParsePairs(batchPairs);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Select(p => p.Id), actual.Select(p => p.Id));
        Assert.Equal(expected.Select(p => p.Line), actual.Select(p => p.Line));
        Assert.Equal(0, BatchRunSupport.OnlineRequests(batchSimulator));

        var (onlineBatch, onlineStages) = BatchRunSupport.Costs(onlineManifest);
        var (isBatch, stages) = BatchRunSupport.Costs(batchManifest);
        Assert.False(onlineBatch);
        Assert.True(isBatch);
        foreach (var stage in new[] { "metainfo-extraction", "instruction-writing", "instruction-adaptation", "response-generation", "quality-judge" })
        {
            Assert.True(stages.ContainsKey(stage), $"the batch manifest has no cost for stage {stage}: {string.Join(", ", stages.Keys)}");
            var (total, discount) = stages[stage];
            Assert.True(total > 0 && discount > 0, $"{stage}: cost {total}, discount {discount}");
            Assert.Equal(0m, onlineStages[stage].Discount);
            Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{stage,-24} online {onlineStages[stage].Total:0.000000}  batch {total:0.000000}  discount {discount:0.000000}"));
        }
    }
}
