using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Core.Generation;
using WildLong.Core.Runner;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.Scope;

/// <summary>
/// A run is built from its own inputs: two runs in one workspace each read only the shards and corpora they name,
/// a run whose queries bring no document makes no pair from an earlier run's data and says why, and the in-process
/// runner and the durable pipeline give the same dataset from the same inputs and seed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RunScopeTests(AzuriteFixture azurite, ITestOutputHelper output)
    : AzuriteRunTest(azurite, output, "wildlong-scope-")
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "TestData");

    [Fact]
    public async Task Two_runs_in_one_workspace_read_only_their_own_inputs_and_a_run_without_document_queries_says_why()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await using var simulator = await PipelineTestData.StartSimulatorAsync(cts.Token);
        await using var host = await StartHostAsync(simulator, settings: null, cts.Token);
        var queries = File.ReadLines(Path.Combine(Samples, "queries.jsonl")).Where(l => l.Length > 0).ToList();
        var documents = File.ReadLines(Path.Combine(Samples, "documents.jsonl")).Where(l => l.Length > 0).ToList();

        // Disjoint halves of the sample: queries and documents.
        var first = await RunAsync(host, "first/", queries.Take(150), documents.Take(documents.Count / 2), 12, cts.Token);
        var second = await RunAsync(host, "second/", queries.Skip(150), documents.Skip(documents.Count / 2), 12, cts.Token);
        foreach (var (run, docs) in new[] { (first, documents.Take(documents.Count / 2)), (second, documents.Skip(documents.Count / 2)) })
        {
            var ids = docs.Select(d => JsonDocument.Parse(d).RootElement.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
            var pairs = await DurableRunAssertions.ReadPairsAsync(host, run.Result, cts.Token);
            Assert.NotEmpty(pairs);
            Assert.All(pairs.SelectMany(p => p.DocumentIds), id => Assert.Contains(id, ids));

            var manifest = await ReadManifestAsync(host, run.Result, cts.Token);
            var scope = manifest.GetProperty("scope");
            Assert.Equal(RunScopeReport.NamedInputs, scope.GetProperty("mode").GetString());
            var prefix = run.Request.QueriesPrefix;
            Assert.All(scope.GetProperty("query_shards").EnumerateArray(), s => Assert.Contains("/" + prefix, s.GetProperty("name").GetString()!, StringComparison.Ordinal));
            Assert.Equal(run.Result.Totals.Indexing.Succeeded, scope.GetProperty("corpora").EnumerateArray().Sum(c => c.GetProperty("items").GetInt64()));

            // The graphs hold this run's records only: no more than its own queries that brought a document.
            Assert.True(run.Result.Totals.Extraction.Succeeded > 0);
            Assert.Equal(run.Result.Totals.Extraction.Succeeded, manifest.GetProperty("counts").GetProperty("meta_info_records").GetInt32());
        }

        // A run whose only query brings no document, beside runs that had plenty: no pair, and the reason.
        var empty = await RunAsync(host, "empty/", ["{\"id\":\"q-hello\",\"text\":\"hi, how are you?\"}"], documents.Take(4), 5, cts.Token);
        Assert.Equal(0, empty.Result.Pairs);
        Assert.Contains("no query brings or refers to a document", empty.Result.NoPairsReason, StringComparison.Ordinal);
        Assert.Empty(await DurableRunAssertions.ReadPairsAsync(host, empty.Result, cts.Token));
        Output.WriteLine($"first {first.Result.Pairs} pairs, second {second.Result.Pairs} pairs, empty: {empty.Result.NoPairsReason}");
    }

    [Fact]
    public async Task The_in_process_runner_and_the_memory_engine_give_the_same_pairs_from_the_same_inputs_and_seed()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await using var simulator = await PipelineTestData.StartSimulatorAsync(cts.Token);
        var overrides = new Dictionary<string, string?> { ["WildLong:Run:Pairs"] = PipelineTestData.Pairs.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await using var host = await StartHostAsync(simulator, overrides, cts.Token);

        var durable = await CompletedRun.RunAsync(host, simulator, Folder, cts.Token);
        var (queriesFolder, documentsFile) = PipelineTestData.WriteInputs(Path.Combine(Folder, "in-process"));
        var inProcess = await host.Services.GetRequiredService<MethodRunner>().RunAsync(queriesFolder, documentsFile, progress: null, cts.Token);

        var expectedFile = Path.Combine(Folder, "in-process.jsonl");
        await TrainingRecordJsonl.WriteAsync(expectedFile, inProcess.Records, append: false, cts.Token);
        var expected = (await File.ReadAllLinesAsync(expectedFile, cts.Token)).Where(l => l.Length > 0).ToList();
        var actual = (await DurableRunAssertions.ReadPairsAsync(host, durable.Result, cts.Token)).Select(p => p.Line).ToList();
        Output.WriteLine($"in-process {expected.Count} pairs, memory engine {actual.Count} pairs");
        Assert.NotEmpty(expected);
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
        {
            Assert.True(expected[i] == actual[i], $"pair {i} differs:\nin-process: {expected[i]}\ndurable:    {actual[i]}");
        }

        Assert.Equal(expected.Count, actual.Count);
    }

    private async Task<CompletedRun> RunAsync(PipelineTestHost host, string prefix, IEnumerable<string> queries, IEnumerable<string> documents, int pairs, CancellationToken cancellationToken)
    {
        var local = Directory.CreateDirectory(Path.Combine(Folder, prefix.TrimEnd('/'))).FullName;
        var queriesFile = Path.Combine(local, "queries.jsonl");
        var documentsFile = Path.Combine(local, "documents.jsonl");
        await File.WriteAllLinesAsync(queriesFile, queries, cancellationToken);
        await File.WriteAllLinesAsync(documentsFile, documents, cancellationToken);
        await PipelineTestData.UploadAsync(host.Blobs, host.Names.Containers.Queries, prefix + "queries.jsonl", queriesFile, cancellationToken);
        await PipelineTestData.UploadAsync(host.Blobs, host.Names.Containers.Documents, prefix + "documents.jsonl", documentsFile, cancellationToken);
        var request = new RunRequest("run-" + prefix.TrimEnd('/'), prefix, prefix, new RunSettings(pairs, 2502_16684UL), host.Shape, Simulated: true);
        await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(RunOrchestrator), request, new StartOrchestrationOptions(request.RunId), cancellationToken);
        var (metadata, statuses) = await CompletedRun.WaitAsync(host.Client, request.RunId, cancellationToken);
        Assert.True(metadata.RuntimeStatus == Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed, $"{request.RunId}: {metadata.RuntimeStatus} {metadata.FailureDetails?.ErrorMessage}");
        return new CompletedRun(request, metadata, statuses, 0, TimeSpan.Zero);
    }

    private static async Task<JsonElement> ReadManifestAsync(PipelineTestHost host, RunResult result, CancellationToken cancellationToken)
    {
        var blob = host.Blobs.GetBlobContainerClient(result.DatasetContainer).GetBlobClient(result.DatasetPrefix + "manifest.json");
        var content = await blob.DownloadContentAsync(cancellationToken);
        return JsonDocument.Parse(content.Value.Content.ToString()).RootElement.Clone();
    }
}
