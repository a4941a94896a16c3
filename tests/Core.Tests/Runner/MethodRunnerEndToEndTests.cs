using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using WildLong.Core.DependencyInjection;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Model;
using WildLong.Core.Runner;
using WildLong.Core.Tests.Support;
using WildLong.Simulator;
using Xunit.Abstractions;

namespace WildLong.Core.Tests.Runner;

/// <summary>
/// The whole method, wired by DI as a host would, on the real query and document sample, with the real OpenAI
/// client talking over HTTP to our simulator. Asserts what a run must guarantee, not simulated content.
/// </summary>
public sealed class MethodRunnerEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Runs_every_stage_on_real_data_and_accounts_for_every_item()
    {
        var options = new SimulatorOptions { MetricsLogIntervalSeconds = 0 };
        options.Deployments = [new DeploymentOptions("gpt-4o-mini", 100_000_000, 1_000_000)];
        await using var simulator = await SimulatorServer.StartAsync(options, CancellationToken.None);
        using var services = BuildServices(simulator, pairs: 12);
        var runner = services.GetRequiredService<MethodRunner>();
        var progress = new List<MethodProgress>();

        var result = await runner.RunAsync(TestData.QueriesJsonl, TestData.DocumentsJsonl, new SynchronousProgress(progress), CancellationToken.None);

        var counts = result.Counts;
        output.WriteLine(System.Text.Json.JsonSerializer.Serialize(counts));
        foreach (var group in result.Quarantined.GroupBy(q => (q.Stage, Reason: q.Reason.Length > 90 ? q.Reason[..90] : q.Reason)).OrderByDescending(g => g.Count()).Take(12))
        {
            output.WriteLine($"{group.Count(),4} {group.Key.Stage}: {group.Key.Reason}");
        }

        Assert.Equal(200, counts.QueriesRead);
        Assert.True(counts.MetaInfoRecords > 0 && counts.QueriesFiltered > 0, $"records {counts.MetaInfoRecords}, filtered {counts.QueriesFiltered}");
        Assert.True(result.Graphs.Count > 0);
        Assert.Equal(19, counts.DocumentsIndexed + counts.QuarantinedByStage.GetValueOrDefault(StageNames.IndexDocuments));
        Assert.InRange(result.Records.Count, 1, 12);

        // Every planned pair is either generated or rejected (adaptation, answer or judge) with a reason.
        Assert.True(counts.PairsPlanned > 0);
        Assert.Equal(counts.PairsPlanned, counts.PairsGenerated + counts.PairsRejected);
        var generationStages = new[] { StageNames.PairGeneration, StageNames.InstructionAdaptation, StageNames.ResponseGeneration, StageNames.QualityJudge };
        Assert.Equal(counts.PairsRejected, result.Quarantined.Count(q => generationStages.Contains(q.Stage)));
        // This sample always has rejections (the run is deterministic), so the reason check below checks something.
        Assert.NotEmpty(result.Quarantined);
        Assert.All(result.Quarantined, q => Assert.False(string.IsNullOrWhiteSpace(q.Reason)));

        var documents = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var d in services.GetRequiredService<DocumentReader>().ReadAsync(TestData.DocumentsJsonl, CancellationToken.None))
        {
            documents.Add(d.Value!.Id);
        }

        foreach (var record in result.Records)
        {
            Assert.Equal(["user", "assistant"], record.Messages.Select(m => m.Role));
            Assert.NotEmpty(record.Meta.Path);
            Assert.NotEmpty(record.Meta.DocumentIds);
            Assert.All(record.Meta.DocumentIds, id => Assert.Contains(id, documents));
            Assert.True(record.Meta.PromptTokens > 1_000, "the user turn carries a long document");
            Assert.True(record.Meta.Judge.Answerable && record.Meta.Judge.DocumentDependent);
        }

        Assert.Equal(result.Records.Count, result.Records.Select(r => r.Meta.Id).Distinct().Count());
        var usage = services.GetRequiredService<UsageLedger>().Snapshot();
        Assert.False(usage.ContainsKey("classify-documents"), "every sample document has a type hint, which spares the classification call");
        foreach (var stage in new[] { "metainfo-extraction", "instruction-writing", "instruction-adaptation", "response-generation", "quality-judge" })
        {
            Assert.True(usage.TryGetValue(stage, out var u) && u.Calls > 0 && u.InputTokens > 0, $"no model calls recorded for {stage}");
        }

        Assert.Contains(progress, p => p.Stage == StageNames.PairGeneration && p.Done == p.Total);

        // The dry run, made from the same inputs, predicts what the run paid per extraction call (same tokenizer).
        var estimate = await services.GetRequiredService<RunEstimator>().EstimateAsync(TestData.QueriesJsonl, TestData.DocumentsJsonl, CancellationToken.None);
        var actual = usage["metainfo-extraction"];
        var predicted = estimate.Usage["metainfo-extraction"];
        Assert.Equal(counts.MetaInfoRecords + counts.QueriesFiltered + counts.QuarantinedByStage.GetValueOrDefault("metainfo-extraction"), estimate.QueriesRead);
        Assert.InRange((double)predicted.InputTokens / predicted.Calls, 0.85 * actual.InputTokens / actual.Calls, 1.15 * actual.InputTokens / actual.Calls);
        output.WriteLine($"extraction tokens per call: estimated {predicted.InputTokens / predicted.Calls}, actual {actual.InputTokens / actual.Calls}");

        // The dataset round-trips through the JSONL writer and reader.
        using var temp = TestData.CreateTempDirectory();
        await TrainingRecordJsonl.WriteAsync(temp.File("pairs.jsonl"), result.Records, append: false, CancellationToken.None);
        var readBack = new List<TrainingRecord>();
        await foreach (var r in TrainingRecordJsonl.ReadAsync(temp.File("pairs.jsonl"), CancellationToken.None))
        {
            readBack.Add(r.Value!);
        }

        Assert.Equal(result.Records.Select(TrainingRecordJsonl.Serialize), readBack.Select(TrainingRecordJsonl.Serialize));
    }

    [Fact]
    public async Task Same_seed_gives_the_same_dataset()
    {
        var options = new SimulatorOptions { MetricsLogIntervalSeconds = 0 };
        options.Deployments = [new DeploymentOptions("gpt-4o-mini", 100_000_000, 1_000_000)];
        await using var simulator = await SimulatorServer.StartAsync(options, CancellationToken.None);

        async Task<string[]> RunAsync()
        {
            using var services = BuildServices(simulator, pairs: 6);
            var result = await services.GetRequiredService<MethodRunner>().RunAsync(TestData.QueriesJsonl, TestData.DocumentsJsonl, null, CancellationToken.None);
            return [.. result.Records.Select(TrainingRecordJsonl.Serialize)];
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    internal static ServiceProvider BuildServices(SimulatorServer simulator, int pairs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WildLong:Run:Pairs"] = pairs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WildLong:Llm:ModelId"] = "gpt-4o-mini",
            ["WildLong:Documents:LengthBuckets:0:Label"] = "2k-16k",
            ["WildLong:Documents:LengthBuckets:0:MinTokens"] = "2000",
            ["WildLong:Documents:LengthBuckets:0:MaxTokens"] = "16000",
        }).Build();
        var client = new OpenAIClient(new ApiKeyCredential(simulator.ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(simulator.BaseAddress, "v1"),
            RetryPolicy = new ClientRetryPolicy(0),
        });
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(client.GetChatClient("gpt-4o-mini").AsIChatClient())
            .AddWildLongMethod(configuration);
        return services.BuildServiceProvider();
    }

    private sealed class SynchronousProgress(List<MethodProgress> sink) : IProgress<MethodProgress>
    {
        public void Report(MethodProgress value) => sink.Add(value);
    }
}
