using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Core;
using WildLong.Pipeline.Runs;
using WildLong.Storage.Documents;
using WildLong.Storage.Graphs;

namespace WildLong.Pipeline.Tests.Support;

/// <summary>What every completed durable run must show, whatever engine backend ran it.</summary>
public static class DurableRunAssertions
{
    public static async Task AssertCompletedRunAsync(PipelineTestHost host, CompletedRun run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(run);
        Assert.True(run.Metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed,
            $"run {run.Request.RunId} ended {run.Metadata.RuntimeStatus}: {run.Metadata.FailureDetails?.ErrorMessage}");
        var result = run.Result;
        Assert.InRange(result.Pairs, 1, PipelineTestData.Pairs);

        // The dataset folder holds every file.
        var container = host.Blobs.GetBlobContainerClient(result.DatasetContainer);
        var files = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = result.DatasetPrefix }, cancellationToken))
        {
            files.Add(blob.Name[result.DatasetPrefix.Length..]);
        }

        Assert.Subset(files.ToHashSet(StringComparer.Ordinal), PipelineTestData.DatasetFiles.ToHashSet(StringComparer.Ordinal));

        // Pairs: as many as reported, no id twice, every document id in the document index.
        var pairs = await ReadPairsAsync(host, result, cancellationToken);
        Assert.Equal(result.Pairs, pairs.Count);
        Assert.Equal(pairs.Count, pairs.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count());
        var index = await host.Services.GetRequiredService<DocumentIndexStore>().ReadAllAsync(cancellationToken);
        Assert.Equal(result.Totals.Indexing.Succeeded, index.Count);
        var indexed = index.Select(e => e.Document.Id).ToHashSet(StringComparer.Ordinal);
        Assert.All(pairs, p =>
        {
            Assert.NotEmpty(p.DocumentIds);
            Assert.All(p.DocumentIds, id => Assert.Contains(id, indexed));
        });

        // Progress was published while the run was under way: a stage with its done/total.
        Assert.Contains(run.StatusesSeen, s => s.Stage != StageNames.Completed
            && s.Stages.TryGetValue(s.Stage, out var stage) && stage.Total > 0 && stage.Done <= stage.Total);
        Assert.Contains(run.StatusesSeen, s => s.Stage is StageNames.PairGeneration or StageNames.InstructionWriting);
        var final = run.Metadata.ReadCustomStatusAs<RunProgress>()!;
        Assert.Equal(StageNames.Completed, final.Stage);
        Assert.Equal(result.Pairs, final.PairsKept);

        // The graph counts in Table Storage are exactly those of the extracted records.
        var records = await PipelineTestData.ExtractedRecordsAsync(host, cancellationToken);
        Assert.Equal(result.Totals.Extraction.Succeeded, records.Count);
        Assert.NotEmpty(records);
        var expected = PipelineTestData.ExpectedGraphs(host, records);
        var graphs = host.Services.GetRequiredService<GraphCountStore>();
        PipelineTestData.AssertSameCounts(expected, await graphs.ReadMergedAsync(cancellationToken));
        PipelineTestData.AssertSameCounts(expected, await graphs.ReadTotalsAsync(cancellationToken));
        Assert.Equal(PipelineTestData.ShardNames.Length, (await graphs.ListShardsAsync(cancellationToken)).Count);
    }

    public static async Task<List<DatasetPair>> ReadPairsAsync(PipelineTestHost host, RunResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(result);
        var blob = host.Blobs.GetBlobContainerClient(result.DatasetContainer).GetBlobClient(result.DatasetPrefix + "pairs.jsonl");
        var content = await blob.DownloadContentAsync(cancellationToken);
        return PipelineTestData.ParsePairs(content.Value.Content.ToString());
    }
}
