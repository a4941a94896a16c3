using System.Diagnostics;
using System.Text.Json;
using Microsoft.DurableTask;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Tests.Support;
using WildLong.Simulator;

namespace WildLong.Pipeline.Tests.Batch;

/// <summary>Configuration and helpers shared by the batch-mode tests: a host in batch mode, a run with a fixed id, its dataset files.</summary>
internal static class BatchRunSupport
{
    /// <summary>Pairs a batch test asks for: a small run (one query shard, one round) keeps each test well under a minute.</summary>
    public const int Pairs = 10;

    /// <summary>Overrides for a host with the response cache on (batch answers live in its store) and, when <paramref name="provider"/> is set, batch mode.</summary>
    public static Dictionary<string, string?> Overrides(string cacheDirectory, string? provider, string? folder = null)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["WildLong:Llm:Cache:Enabled"] = "true",
            ["WildLong:Llm:Cache:Directory"] = cacheDirectory,
            ["WildLong:Run:MaxRounds"] = "1",
        };
        if (provider is not null)
        {
            settings["WildLong:Llm:Mode"] = "batch";
            settings["WildLong:Llm:Batch:Provider"] = provider;
            settings["WildLong:Llm:Batch:Folder"] = folder;
            settings["WildLong:Llm:Batch:Endpoint"] = "/v1/chat/completions";
            settings["WildLong:Llm:Batch:PollInterval"] = "00:00:01";
        }

        return settings;
    }

    /// <summary>A run request of <see cref="Pairs"/> pairs with the fixed test seed and the given id.</summary>
    public static RunRequest Request(PipelineTestHost host, string runId)
        => new(runId, PipelineTestData.InputPrefix, PipelineTestData.InputPrefix, new RunSettings(Pairs, 2502_16684UL), host.Shape, Simulated: true);

    /// <summary>Uploads the test documents and the first query shard only (a small run).</summary>
    public static async Task UploadInputsAsync(PipelineTestHost host, string folder, CancellationToken cancellationToken)
    {
        var (queries, documents) = PipelineTestData.WriteInputs(folder);
        var shard = PipelineTestData.ShardNames[0];
        await PipelineTestData.UploadAsync(host.Blobs, host.Names.Containers.Queries, PipelineTestData.InputPrefix + shard, Path.Combine(queries, shard), cancellationToken);
        await PipelineTestData.UploadAsync(host.Blobs, host.Names.Containers.Documents, PipelineTestData.InputPrefix + "documents.jsonl", documents, cancellationToken);
    }

    /// <summary>Starts <paramref name="request"/> and waits for it to complete.</summary>
    public static async Task<(RunResult Result, TimeSpan Elapsed)> RunAsync(PipelineTestHost host, RunRequest request, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(RunOrchestrator), request, new StartOrchestrationOptions(request.RunId), cancellationToken);
        var metadata = await host.Client.WaitForInstanceCompletionAsync(request.RunId, getInputsAndOutputs: true, cancellationToken);
        Assert.True(metadata.RuntimeStatus == Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed,
            $"run {request.RunId} ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage}");
        return (metadata.ReadOutputAs<RunResult>()!, watch.Elapsed);
    }

    /// <summary>The text of one file of a finished run's dataset.</summary>
    public static async Task<string> DatasetFileAsync(PipelineTestHost host, RunResult result, string file, CancellationToken cancellationToken)
    {
        var blob = host.Blobs.GetBlobContainerClient(result.DatasetContainer).GetBlobClient(result.DatasetPrefix + file);
        return (await blob.DownloadContentAsync(cancellationToken)).Value.Content.ToString();
    }

    /// <summary>The manifest's cost section: whether it is batch-priced, and per stage the cost and the discount.</summary>
    public static (bool Batch, Dictionary<string, (decimal Total, decimal Discount)> Stages) Costs(string manifest)
    {
        using var json = JsonDocument.Parse(manifest);
        var cost = json.RootElement.GetProperty("cost");
        var stages = new Dictionary<string, (decimal, decimal)>(StringComparer.Ordinal);
        foreach (var stage in cost.GetProperty("stages").EnumerateArray())
        {
            stages[stage.GetProperty("stage").GetString()!] = (stage.GetProperty("total").GetDecimal(), stage.GetProperty("batch_discount").GetDecimal());
        }

        return (cost.GetProperty("batch").GetBoolean(), stages);
    }

    /// <summary>The simulator's online chat completions so far (batch lines are not counted there).</summary>
    public static long OnlineRequests(SimulatorServer simulator) => simulator.Metrics.Snapshot().Totals.Requests;
}
