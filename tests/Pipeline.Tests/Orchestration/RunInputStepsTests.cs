using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WildLong.Core;
using WildLong.Engine;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Indexing;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Tests.Support;
using WildLong.Storage;
using WildLong.Storage.Blobs;
using Xunit.Abstractions;

namespace WildLong.Pipeline.Tests.Orchestration;

/// <summary>
/// The run's input stages on the embedded engine (memory backend) with fake activities under the real names: one
/// child per shard and per corpus file under ids derived from the run's, each planning, fanning out and merging its
/// own input; the run sums them, counts a failed child as failed instead of failing, and its history stays bounded by
/// the number of inputs whatever their size (measured with the engine's history counts).
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class RunInputStepsTests(AzuriteFixture azurite, ITestOutputHelper output)
{
    private const string Probe = "InputsProbe";
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task Each_input_runs_in_its_own_child_under_the_runs_prefix_and_the_run_sums_them()
    {
        var fake = new InputStepsFake(new Dictionary<string, int> { ["a.jsonl"] = 7, ["b.jsonl"] = 5, ["c.jsonl"] = 1, ["docs-1.jsonl"] = 4, ["docs-2.jsonl"] = 3 });
        using var host = await StartAsync(fake);
        await using var stop = new HostStopper(host);
        using var cts = new CancellationTokenSource(Generous);
        var shards = Blobs("queries", "a.jsonl", "b.jsonl", "c.jsonl");
        var corpora = Blobs("documents", "docs-1.jsonl", "docs-2.jsonl");

        var result = await RunProbeAsync(host, "run-inputs", new InputsProbe(shards, corpora, Shape(batchSize: 1, perGroup: 2)), cts.Token);

        Assert.Equal((13, 13, 0), (result.Extracted.Summary.Items, result.Extracted.Summary.Succeeded, result.Extracted.Summary.FailedSlices));
        Assert.Equal((7, 7), (result.Indexed.Summary.Items, result.Indexed.Summary.Succeeded));
        // Plans in input order, whatever order the children ended in: what generation reads.
        Assert.Equal(shards, result.Extracted.Plans.Select(p => p.Blob));
        Assert.Equal(corpora, result.Indexed.Plans.Select(p => p.Blob));
        Assert.Equal(3, fake.Calls[nameof(MergeShardGraphActivity)]);
        Assert.Equal(13, fake.Calls[nameof(ExtractQueriesActivity)]);
        Assert.Equal(5, fake.Calls[nameof(PlanInputBlobActivity)]);

        // The run's progress counted each child's items when it ended; every shard's merge is one graph-merge item.
        Assert.Equal(new StageProgress(13, 13, 0), result.Progress.Stages[StageNames.MetaInfoExtraction]);
        Assert.Equal(new StageProgress(7, 7, 0), result.Progress.Stages[StageNames.IndexDocuments]);
        Assert.Equal(new StageProgress(3, 3, 0), result.Progress.Stages[StageNames.GraphMerge]);

        // One child per input under the id derived from the run's id and the input, with its fan-out groups nested
        // under it: the run's prefix finds them all.
        var descendants = await DescendantsAsync(host, "run-inputs", cts.Token);
        var children = descendants.Where(d => FanOut.IsInputChild(d.InstanceId)).ToList();
        var expected = shards.Select(s => FanOut.InputChildId("run-inputs", InputKind.Queries, s))
            .Concat(corpora.Select(c => FanOut.InputChildId("run-inputs", InputKind.Documents, c)));
        Assert.Equal(expected.Order(StringComparer.Ordinal), children.Select(c => c.InstanceId).Order(StringComparer.Ordinal));
        Assert.All(children, c => Assert.Equal(OrchestrationRuntimeStatus.Completed, c.RuntimeStatus));
        var shardA = FanOut.InputChildId("run-inputs", InputKind.Queries, shards[0]);
        var status = descendants.Single(d => d.InstanceId == shardA).ReadCustomStatusAs<InputProgress>()!;
        Assert.Equal((nameof(ExtractQueriesActivity), 7, 7), (status.Activity, status.Planned, status.Done.Items));
        // Shard a (7 slices, groups of 2) ran 4 groups under its own id.
        Assert.Equal(4, descendants.Count(d => d.InstanceId.StartsWith(shardA + FanOut.GroupIdInfix, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_child_that_fails_counts_as_failed_and_leaves_its_input_out_while_the_others_go_on()
    {
        var fake = new InputStepsFake(
            new Dictionary<string, int> { ["ok.jsonl"] = 4, ["merge-fails.jsonl"] = 3, ["docs.jsonl"] = 2 },
            unplannable: new HashSet<string>(StringComparer.Ordinal) { "unreadable.jsonl" },
            failingMerges: new HashSet<string>(StringComparer.Ordinal) { "merge-fails.jsonl" });
        using var host = await StartAsync(fake);
        await using var stop = new HostStopper(host);
        using var cts = new CancellationTokenSource(Generous);
        var shards = Blobs("queries", "ok.jsonl", "unreadable.jsonl", "merge-fails.jsonl");

        var result = await RunProbeAsync(host, "run-failing", new InputsProbe(shards, Blobs("documents", "docs.jsonl"), Shape(batchSize: 2, perGroup: 300)), cts.Token);

        var extraction = result.Extracted.Summary;
        Assert.Equal([shards[0]], result.Extracted.Plans.Select(p => p.Blob));
        // The unreadable shard has no known items; the shard whose merge failed counts its 3 extracted items as failed.
        Assert.Equal((4 + 3, 4, 3, 2), (extraction.Items, extraction.Succeeded, extraction.Rejected, extraction.FailedSlices));
        Assert.Contains(extraction.Failures!, f => f.Contains("unreadable.jsonl is not readable", StringComparison.Ordinal) && f.Contains(nameof(ExtractShardOrchestrator), StringComparison.Ordinal));
        Assert.Contains(extraction.Failures!, f => f.Contains("merging merge-fails.jsonl failed", StringComparison.Ordinal));
        Assert.Equal(2, result.Indexed.Summary.Succeeded);
        Assert.Equal(new StageProgress(3, 3, 2), result.Progress.Stages[StageNames.GraphMerge]);
    }

    [Theory]
    [InlineData(EngineBackends.Memory)]
    [InlineData(EngineBackends.AzureStorage)]
    public async Task A_run_restarted_under_its_id_after_its_instance_was_purged_reuses_its_childrens_ids_and_sums_the_same(string backend)
    {
        // What `wildlong run` does after a failed or terminated run: purge the run's instance only and start it again
        // under the same id. Its children, still in the task hub under the same ids, are started again, not skipped.
        var fake = new InputStepsFake(new Dictionary<string, int> { ["a.jsonl"] = 6, ["docs.jsonl"] = 2 });
        using var host = await StartAsync(fake, backend);
        await using var stop = new HostStopper(host);
        using var cts = new CancellationTokenSource(Generous);
        var probe = new InputsProbe(Blobs("queries", "a.jsonl"), Blobs("documents", "docs.jsonl"), Shape(batchSize: 1, perGroup: 4));
        var first = await RunProbeAsync(host, "run-again", probe, cts.Token);
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        await client.PurgeInstanceAsync("run-again", cancellation: cts.Token);

        var second = await RunProbeAsync(host, "run-again", probe, cts.Token);

        Assert.Equal((6, 6), (second.Extracted.Summary.Items, second.Extracted.Summary.Succeeded));
        Assert.Equal(first.Extracted.Plans, second.Extracted.Plans);
        Assert.Equal(2, fake.Calls[nameof(MergeShardGraphActivity)]);
        Assert.Equal(2, (await DescendantsAsync(host, "run-again", cts.Token)).Count(d => FanOut.IsInputChild(d.InstanceId)));
    }

    [Fact]
    public async Task Histories_stay_bounded_for_ten_thousand_slices()
    {
        const int slices = 10_000;
        const int corpusItems = 40;
        var fake = new InputStepsFake(new Dictionary<string, int> { ["big.jsonl"] = slices, ["docs.jsonl"] = corpusItems });
        using var host = await StartAsync(fake);
        await using var stop = new HostStopper(host);
        using var cts = new CancellationTokenSource(Generous);
        var perGroup = new PipelineOptions().ActivitiesPerSubOrchestration;
        var shards = Blobs("queries", "big.jsonl");
        var corpora = Blobs("documents", "docs.jsonl");

        var result = await RunProbeAsync(host, "run-big", new InputsProbe(shards, corpora, Shape(batchSize: 1, perGroup)), cts.Token);

        Assert.Equal(slices, result.Extracted.Summary.Succeeded);
        Assert.Equal(slices, fake.Calls[nameof(ExtractQueriesActivity)]);
        var history = host.Services.GetRequiredService<EngineHistorySizes>().Snapshot();
        var child = FanOut.InputChildId("run-big", InputKind.Queries, shards[0]);
        var groups = history.Where(h => h.Key.StartsWith(child + FanOut.GroupIdInfix, StringComparison.Ordinal)).ToList();
        var groupCount = (slices + perGroup - 1) / perGroup;
        Assert.Equal(groupCount, groups.Count);
        output.WriteLine($"HISTORY {slices} slices, groups of {perGroup}: run {history["run-big"]} events (2 inputs), largest child {history[child]} events ({groupCount} groups), largest group {groups.Max(g => g.Value)} events, {history.Count} instances");

        // Bounds by structure, not by input size: the run holds a few events per input, the shard's child a few per
        // group (plus planning and merging), a group a few per activity — each at most 2 for the call and its
        // answer plus 2 for the episode that took the answer.
        Assert.InRange(history["run-big"], 1, 8 + (4 * 2));
        Assert.InRange(history[child], 1, 8 + (4 * (groupCount + 2)));
        Assert.All(groups, g => Assert.InRange(g.Value, 1, 8 + (4 * perGroup)));
    }

    private static IReadOnlyList<BlobRef> Blobs(string container, params string[] names) => [.. names.Select(n => new BlobRef(container, n))];

    private static RunShape Shape(int batchSize, int perGroup)
        => new(batchSize, batchSize, 1, 1, 1, 1, perGroup, ActivityAttempts: 1, new StorageContainerNames());

    private static async Task<List<OrchestrationMetadata>> DescendantsAsync(IHost host, string runId, CancellationToken cancellationToken)
    {
        var found = new List<OrchestrationMetadata>();
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = runId + FanOut.GroupIdInfix, FetchInputsAndOutputs = true }).WithCancellation(cancellationToken))
        {
            found.Add(instance);
        }

        return found;
    }

    private static async Task<InputsProbeResult> RunProbeAsync(IHost host, string id, InputsProbe probe, CancellationToken cancellationToken)
    {
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        await client.ScheduleNewOrchestrationInstanceAsync(Probe, probe, new StartOrchestrationOptions(id), cancellationToken);
        var metadata = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, cancellationToken);
        Assert.True(metadata.RuntimeStatus == OrchestrationRuntimeStatus.Completed, $"{metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage}");
        return metadata.ReadOutputAs<InputsProbeResult>()!;
    }

    private async Task<IHost> StartAsync(InputStepsFake fake, string backend = EngineBackends.Memory)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WildLong:Engine:Backend"] = backend,
            ["WildLong:Engine:TaskHubName"] = "inputsteps" + Guid.NewGuid().ToString("N")[..8],
            ["WildLong:Engine:MaxQueuePollingInterval"] = "00:00:01",
            ["WildLong:Storage:ConnectionString"] = azurite.ConnectionString,
        });
        builder.Logging.AddProvider(new TestOutputLoggerProvider(output, "engine"));
        builder.Services.AddWildLongEngine(builder.Configuration, registry =>
        {
            registry.AddOrchestrator<ExtractShardOrchestrator>();
            registry.AddOrchestrator<IndexCorpusOrchestrator>();
            registry.AddOrchestrator<FanOutOrchestrator>();
            registry.AddActivityFunc<PlanInputBlobRequest, InputBlobPlan>(nameof(PlanInputBlobActivity), (_, request) => fake.Plan(request));
            registry.AddActivityFunc<WorkSlice, WorkSummary>(nameof(ExtractQueriesActivity), (_, slice) => fake.Slice(nameof(ExtractQueriesActivity), slice));
            registry.AddActivityFunc<WorkSlice, WorkSummary>(nameof(IndexDocumentsActivity), (_, slice) => fake.Slice(nameof(IndexDocumentsActivity), slice));
            registry.AddActivityFunc<ShardMergeRequest, WorkSummary>(nameof(MergeShardGraphActivity), (_, request) => fake.Merge(request));
            registry.AddOrchestratorFunc<InputsProbe, InputsProbeResult>(Probe, async (context, probe) =>
            {
                var progress = new RunProgressTracker(context, context.InstanceId);
                var (extracted, indexed) = await RunInputSteps.RunAsync(context, probe.Shards, probe.Corpora, probe.Shape, progress);
                return new InputsProbeResult(extracted, indexed, progress.Current);
            });
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
