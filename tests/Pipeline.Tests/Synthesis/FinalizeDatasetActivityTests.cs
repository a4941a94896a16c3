using Microsoft.Extensions.DependencyInjection;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Tests.Support;
using WildLong.Storage.Blobs;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.Synthesis;

/// <summary>
/// The final step streams the kept pairs into the dataset instead of reading them whole (at 10,000 pairs that took
/// the process to 21 GB): it selects from their meta-information and copies the stored lines, messages and all, in
/// the dataset's order (by id) whatever order the kept list has.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FinalizeDatasetActivityTests(AzuriteFixture azurite, ITestOutputHelper output)
    : AzuriteRunTest(azurite, output, "wildlong-finalize-")
{
    [Theory]
    [InlineData("p3 p1 p4 p0 p2")] // copied out of a temporary file in id order
    [InlineData("p0 p1 p2 p3 p4")] // written straight through
    public async Task The_dataset_holds_the_selected_pairs_stored_lines_in_id_order(string keptOrder)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var simulator = await PipelineTestData.StartSimulatorAsync(cts.Token);
        await using var host = await StartHostAsync(simulator, settings: null, cts.Token);
        var blobs = host.Services.GetRequiredService<PipelineBlobStore>();
        var activity = ActivatorUtilities.CreateInstance<FinalizeDatasetActivity>(host.Services);
        var run = "finalize-" + keptOrder.Replace(' ', '-');
        var kept = keptOrder.Split(' ').Select(Pair).ToList();
        await blobs.WriteLinesAsync(blobs.Layout.KeptPairs(run, 1), kept, new { Lines = kept.Count }, cts.Token);

        var result = await activity.RunAsync(null!, new FinalizeRequest(run, new RunSettings(4, 7), 1, Simulated: true, RunTotals.Empty));

        var prefix = BlobLayout.DatasetPrefix(run);
        var lines = (await blobs.DownloadTextAsync(new BlobRef(blobs.Layout.Containers.Datasets, prefix + "pairs.jsonl"), cts.Token))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, result.Pairs);
        Assert.Equal(4, lines.Length);
        var ids = lines.Select(l => TrainingRecordJsonl.Parse(l, "pairs.jsonl", 1).Value!.Meta.Id).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Select(id => TrainingRecordJsonl.Serialize(kept.Single(r => r.Meta.Id == id))), lines); // messages and all
        var again = await activity.RunAsync(null!, new FinalizeRequest(run, new RunSettings(4, 7), 1, Simulated: true, RunTotals.Empty));
        Assert.Equal(lines, (await blobs.DownloadTextAsync(new BlobRef(blobs.Layout.Containers.Datasets, prefix + "pairs.jsonl"), cts.Token))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)); // finalizing twice gives the same dataset
        Assert.Equal(4, again.Pairs);
    }

    private static TrainingRecord Pair(string id)
        => new(
            [new TrainingMessage("user", $"document for {id} «é» " + new string('x', 5_000)), new TrainingMessage("assistant", $"answer {id}")],
            new TrainingRecordMeta(id, "legal_contract", TaskKind.SingleDocument, "key", 0, [new PathStep("task", "summarize")], ["d"], ["4k-8k"],
                $"instruction {id}", $"instruction {id}", 10, 10, "m", 0, [], new JudgeVerdict(true, true, 5, "")));
}
