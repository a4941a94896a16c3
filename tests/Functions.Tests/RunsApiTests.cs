using System.Net;
using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using WildLong.Core;
using WildLong.Core.Model;
using WildLong.Core.Runner;
using WildLong.Functions.Http;
using WildLong.Functions.Tests.Support;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Synthesis;

namespace WildLong.Functions.Tests;

/// <summary>The run endpoints called directly with a fake durable client: validation, idempotent starts, status shape, terminate and purge.</summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class RunsApiTests(AzuriteFixture azurite) : IDisposable
{
    private const string Base = "https://wildlong.example/api/";
    private readonly TestApp app = new(azurite);
    private readonly FakeDurableTaskClient client = new();

    public void Dispose() => app.Dispose();

    [Theory]
    [InlineData("", "the request body is empty")]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("""{"queriesPrefix":"a/","documentsPrefix":"b/","pairs":0,"seed":1}""", "pairs must be at least 1")]
    [InlineData("""{"queriesPrefix":"a/","documentsPrefix":"b/","seed":1}""", "pairs is required")]
    [InlineData("""{"pairs":10,"seed":1,"multiDocumentShare":1.5}""", "multiDocumentShare must be between 0 and 1")]
    [InlineData("""{"pairs":10,"seed":1,"multiDocumentShare":-0.1}""", "multiDocumentShare must be between 0 and 1")]
    [InlineData("""{"pairs":"ten"}""", "not valid JSON")]
    [InlineData("""{"pair":10}""", "'pair' could not be mapped")]
    [InlineData("""{"pairs":10,"runId":"has/slash"}""", "runId must be")]
    [InlineData("""{"pairs":10,"queriesPrefix":"../up"}""", "queriesPrefix must be")]
    public async Task Bad_run_requests_are_400_with_a_message_naming_the_problem(string body, string message)
    {
        var response = await StartRunAsync(body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(response.BodyText()).RootElement.GetProperty("error").GetString();
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Empty(client.Scheduled);
    }

    [Fact]
    public async Task The_same_body_twice_is_one_run_with_a_deterministic_id()
    {
        const string body = """{"queriesPrefix":"shards/","documentsPrefix":"corpus/","pairs":50,"seed":7,"multiDocumentShare":0.3}""";
        var first = await StartRunAsync(body);
        var second = await StartRunAsync(body);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var (name, id, input) = Assert.Single(client.Scheduled);
        Assert.Equal(nameof(RunOrchestrator), name);
        var request = Assert.IsType<RunRequest>(input);
        var settings = new RunSettings(50, 7, 0.3);
        var fingerprint = app.Get<RunFingerprintSource>().For(settings);
        Assert.Equal(new RunRequest(id, "shards/", "corpus/", settings, app.Shape, Simulated: true, fingerprint), request);
        Assert.Equal(RunIdentity.ForRun("shards/", "corpus/", fingerprint), id);
        var payload = JsonDocument.Parse(first.BodyText()).RootElement;
        Assert.Equal(id, payload.GetProperty("id").GetString());
        Assert.Contains(Uri.EscapeDataString(id), payload.GetProperty("statusQueryGetUri").GetString(), StringComparison.Ordinal);
        Assert.NotNull(first.Header("Location"));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        var conflict = JsonDocument.Parse(second.BodyText()).RootElement;
        Assert.Equal(id, conflict.GetProperty("id").GetString());
        Assert.Equal("Pending", conflict.GetProperty("runtimeStatus").GetString());
        Assert.Equal($"{Base}runs/{id}", second.Header("Location"));

        // A different body is a different run.
        var third = await StartRunAsync(body.Replace("\"seed\":7", "\"seed\":8", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        Assert.Equal(2, client.Scheduled.Select(s => s.InstanceId).Distinct().Count());
    }

    [Fact]
    public async Task A_given_run_id_is_used_and_a_failed_run_is_purged_and_started_again_under_it()
    {
        client.Seed(nameof(RunOrchestrator), "my-run", OrchestrationRuntimeStatus.Failed);
        var response = await StartRunAsync("""{"pairs":5,"seed":1,"runId":"my-run"}""");
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // The CLI's start-or-resume (OrchestrationStarter): the failed attempt's history is purged before the new start.
        Assert.Equal(["my-run"], client.Purged);
        Assert.Equal("my-run", Assert.Single(client.Scheduled).InstanceId);

        // Asked again while the new attempt runs: the same run, neither purged nor started again.
        Assert.Equal(HttpStatusCode.Conflict, (await StartRunAsync("""{"pairs":5,"seed":1,"runId":"my-run"}""")).StatusCode);
        Assert.Single(client.Purged);
        Assert.Single(client.Scheduled);
    }

    [Fact]
    public async Task Generation_without_merged_graphs_is_refused_and_with_graphs_is_idempotent()
    {
        var api = app.Create<RunsApi>();
        const string body = """{"pairs":20,"seed":3}""";
        var refused = (TestHttpResponse)await api.StartGenerationAsync(new TestHttpRequest("POST", Base + "generations", body), client, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("no query shard", refused.BodyText(), StringComparison.Ordinal);

        await GraphFixtures.MergeShardAsync(app, "shard-a", "v1");
        var first = (TestHttpResponse)await api.StartGenerationAsync(new TestHttpRequest("POST", Base + "generations", body), client, CancellationToken.None);
        var again = (TestHttpResponse)await api.StartGenerationAsync(new TestHttpRequest("POST", Base + "generations", body), client, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var (name, id, input) = Assert.Single(client.Scheduled);
        Assert.Equal("GenerateDatasetOrchestrator", name);
        Assert.Equal(new GenerationRequest(id, new RunSettings(20, 3), app.Shape, Simulated: true, Fingerprint: app.Get<RunFingerprintSource>().For(new RunSettings(20, 3))), input);

        // A shard merged again (new version) is a new graph state: the same body is a new generation.
        await GraphFixtures.MergeShardAsync(app, "shard-a", "v2");
        var next = (TestHttpResponse)await api.StartGenerationAsync(new TestHttpRequest("POST", Base + "generations", body), client, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Accepted, next.StatusCode);
        Assert.NotEqual(id, client.Scheduled[^1].InstanceId);
    }

    [Fact]
    public async Task Status_of_a_running_run_adds_the_work_of_its_running_fan_out_groups()
    {
        var now = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var stages = new Dictionary<string, StageProgress> { [StageNames.PairGeneration] = new(256, 1434, 100) };
        var progress = new RunProgress("run-5", StageNames.PairGeneration, stages, 12_000, 3_000, 4_000, 1.25m, now, now, null);
        client.Seed(nameof(RunOrchestrator), "run-5", OrchestrationRuntimeStatus.Running, customStatus: progress);
        var usage = new Dictionary<string, StageUsage> { [StageNames.ResponseGeneration] = StageUsage.Zero with { InputTokens = 500, OutputTokens = 50 } };
        AddGroup("run-5" + FanOut.GroupIdInfix + "a", OrchestrationRuntimeStatus.Running, new FanOutProgress(nameof(GeneratePairsActivity), 16, 3, new WorkSummary(48, 40, 8, usage, 0.5m)));
        AddGroup("run-5" + FanOut.GroupIdInfix + "b", OrchestrationRuntimeStatus.Completed, new FanOutProgress(nameof(GeneratePairsActivity), 16, 16, new WorkSummary(256, 200, 56, usage, 2m)));
        AddGroup("run-6" + FanOut.GroupIdInfix + "c", OrchestrationRuntimeStatus.Running, new FanOutProgress(nameof(GeneratePairsActivity), 16, 1, new WorkSummary(16, 16, 0, usage, 0.1m)));

        var p = JsonDocument.Parse((await GetRunAsync("run-5")).BodyText()).RootElement.GetProperty("progress");

        // The running group of this run counts; the finished one is already in the run's own numbers, run-6's is not ours.
        var generation = p.GetProperty("stages").GetProperty(StageNames.PairGeneration);
        Assert.Equal((256 + 48, 100 + 8), (generation.GetProperty("done").GetInt32(), generation.GetProperty("rejected").GetInt32()));
        Assert.Equal(12_000 + 500, p.GetProperty("inputTokens").GetInt64());
        Assert.Equal(1.25m + 0.5m, p.GetProperty("cost").GetDecimal());
    }

    [Fact]
    public async Task Status_of_a_running_run_shows_stage_progress_tokens_cost_eta_and_dataset_links()
    {
        var now = new DateTime(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var stages = new Dictionary<string, StageProgress> { [StageNames.MetaInfoExtraction] = new(40, 100, 2), [StageNames.IndexDocuments] = new(10, 10, 0) };
        var progress = new RunProgress("run-1", StageNames.MetaInfoExtraction, stages, 12_000, 3_000, 4_000, 1.25m, now, now.AddMinutes(5), now.AddMinutes(12));
        client.Seed(nameof(RunOrchestrator), "run-1", OrchestrationRuntimeStatus.Running, input: new RunRequest("run-1", "q/", "d/", new RunSettings(10, 1), app.Shape), customStatus: progress);

        var response = await GetRunAsync("run-1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = JsonDocument.Parse(response.BodyText()).RootElement;
        Assert.Equal("run-1", status.GetProperty("id").GetString());
        Assert.Equal("RunOrchestrator", status.GetProperty("orchestrator").GetString());
        Assert.Equal("Running", status.GetProperty("runtimeStatus").GetString());
        var p = status.GetProperty("progress");
        Assert.Equal(StageNames.MetaInfoExtraction, p.GetProperty("stage").GetString());
        Assert.Equal(40, p.GetProperty("stages").GetProperty(StageNames.MetaInfoExtraction).GetProperty("done").GetInt32());
        Assert.Equal(100, p.GetProperty("stages").GetProperty(StageNames.MetaInfoExtraction).GetProperty("total").GetInt32());
        Assert.Equal(12_000, p.GetProperty("inputTokens").GetInt64());
        Assert.Equal(4_000, p.GetProperty("outputTokens").GetInt64());
        Assert.Equal(1.25m, p.GetProperty("cost").GetDecimal());
        Assert.Equal(now.AddMinutes(12), p.GetProperty("estimatedFinish").GetDateTime());
        Assert.False(status.TryGetProperty("output", out _));
        var links = status.GetProperty("links");
        Assert.Equal(app.Containers["Datasets"], links.GetProperty("datasetContainer").GetString());
        Assert.Equal("run-1/dataset/", links.GetProperty("datasetPrefix").GetString());
        Assert.False(links.TryGetProperty("report", out _), "a running run has no report yet");
        Assert.Equal(Base + "runs/run-1", links.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Status_of_a_completed_run_has_its_output_and_of_a_failed_run_its_failure()
    {
        var result = new RunResult("run-2", "datasets", "run-2/dataset/", 42, RunTotals.Empty, 3.5m);
        client.Seed(nameof(RunOrchestrator), "run-2", OrchestrationRuntimeStatus.Completed, output: result);
        client.Seed(nameof(RunOrchestrator), "run-3", OrchestrationRuntimeStatus.Failed, failure: new TaskFailureDetails("InvalidOperationException", "no query shards under 'queries/x'", null, null, null));

        var completed = JsonDocument.Parse((await GetRunAsync("run-2")).BodyText()).RootElement;
        Assert.Equal("Completed", completed.GetProperty("runtimeStatus").GetString());
        Assert.Equal(42, completed.GetProperty("output").GetProperty("pairs").GetInt32());
        Assert.Equal("datasets", completed.GetProperty("links").GetProperty("datasetContainer").GetString());
        Assert.Equal("run-2/dataset/report.html", completed.GetProperty("links").GetProperty("report").GetString());
        Assert.Equal("run-2/dataset/report.json", completed.GetProperty("links").GetProperty("reportJson").GetString());

        var failed = JsonDocument.Parse((await GetRunAsync("run-3")).BodyText()).RootElement;
        Assert.Equal("Failed", failed.GetProperty("runtimeStatus").GetString());
        Assert.Contains("no query shards", failed.GetProperty("failure").GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_runs_are_404_for_status_terminate_and_purge()
    {
        var api = app.Create<RunsApi>();
        Assert.Equal(HttpStatusCode.NotFound, (await GetRunAsync("nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.TerminateRunAsync(new TestHttpRequest("POST", Base + "runs/nope/terminate"), client, "nope", CancellationToken.None)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PurgeRunAsync(new TestHttpRequest("DELETE", Base + "runs/nope"), client, "nope", CancellationToken.None)).StatusCode);
    }

    [Fact]
    public async Task A_running_run_is_terminated_then_purged_but_not_purged_while_running()
    {
        var api = app.Create<RunsApi>();
        client.Seed(nameof(RunOrchestrator), "run-4", OrchestrationRuntimeStatus.Running);

        var early = (TestHttpResponse)await api.PurgeRunAsync(new TestHttpRequest("DELETE", Base + "runs/run-4"), client, "run-4", CancellationToken.None);
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("terminate it before purging", early.BodyText(), StringComparison.Ordinal);

        var terminate = await api.TerminateRunAsync(new TestHttpRequest("POST", Base + "runs/run-4/terminate"), client, "run-4", CancellationToken.None);
        Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        Assert.Equal(["run-4"], client.Terminated);

        var again = await api.TerminateRunAsync(new TestHttpRequest("POST", Base + "runs/run-4/terminate"), client, "run-4", CancellationToken.None);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        var purge = (TestHttpResponse)await api.PurgeRunAsync(new TestHttpRequest("DELETE", Base + "runs/run-4"), client, "run-4", CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(purge.BodyText()).RootElement.GetProperty("purgedInstances").GetInt32());
        Assert.False(client.Instances.ContainsKey("run-4"));
    }

    [Fact]
    public async Task Purge_removes_the_runs_fan_out_groups_by_instance_id_prefix_and_nothing_else()
    {
        var api = app.Create<RunsApi>();
        client.Seed(nameof(RunOrchestrator), "run-5", OrchestrationRuntimeStatus.Completed);
        client.Seed("FanOutOrchestrator", "run-5" + FanOut.GroupIdInfix + "a", OrchestrationRuntimeStatus.Completed);
        client.Seed("FanOutOrchestrator", "run-5" + FanOut.GroupIdInfix + "b", OrchestrationRuntimeStatus.Failed);
        client.Seed(nameof(RunOrchestrator), "run-50", OrchestrationRuntimeStatus.Completed);
        client.Seed("FanOutOrchestrator", "run-50" + FanOut.GroupIdInfix + "c", OrchestrationRuntimeStatus.Completed);

        var purge = (TestHttpResponse)await api.PurgeRunAsync(new TestHttpRequest("DELETE", Base + "runs/run-5"), client, "run-5", CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        Assert.Equal(3, JsonDocument.Parse(purge.BodyText()).RootElement.GetProperty("purgedInstances").GetInt32());
        Assert.Equal(["run-50", "run-50" + FanOut.GroupIdInfix + "c"], client.Instances.Keys.Order(StringComparer.Ordinal));
        // Groups before the run, so a failure part-way leaves the run there to purge again.
        Assert.Equal("run-5", client.Purged[^1]);
    }

    [Fact]
    public async Task Purge_terminates_groups_still_running_and_keeps_the_run_until_they_stop()
    {
        var api = app.Create<RunsApi>();
        client.Seed(nameof(RunOrchestrator), "run-6", OrchestrationRuntimeStatus.Terminated);
        client.Seed("FanOutOrchestrator", "run-6" + FanOut.GroupIdInfix + "a", OrchestrationRuntimeStatus.Running);
        client.Seed("FanOutOrchestrator", "run-6" + FanOut.GroupIdInfix + "b", OrchestrationRuntimeStatus.Completed);

        var first = (TestHttpResponse)await api.PurgeRunAsync(new TestHttpRequest("DELETE", Base + "runs/run-6"), client, "run-6", CancellationToken.None);

        Assert.Equal(HttpStatusCode.Conflict, first.StatusCode);
        Assert.Contains("purge again", first.BodyText(), StringComparison.Ordinal);
        Assert.Equal(["run-6" + FanOut.GroupIdInfix + "a"], client.Terminated);
        Assert.True(client.Instances.ContainsKey("run-6"));

        var second = (TestHttpResponse)await api.PurgeRunAsync(new TestHttpRequest("DELETE", Base + "runs/run-6"), client, "run-6", CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Empty(client.Instances);
    }

    private async Task<TestHttpResponse> StartRunAsync(string body)
        => (TestHttpResponse)await app.Create<RunsApi>().StartRunAsync(new TestHttpRequest("POST", Base + "runs", body), client, CancellationToken.None);

    [Fact]
    public async Task Terminating_a_run_terminates_its_running_children_and_groups_and_nothing_else()
    {
        var api = app.Create<RunsApi>();
        var child = "run-7" + FanOut.GroupIdInfix + FanOut.InputIdMarker + "queries-abc";
        client.Seed(nameof(RunOrchestrator), "run-7", OrchestrationRuntimeStatus.Running);
        client.Seed("ExtractShardOrchestrator", child, OrchestrationRuntimeStatus.Running);
        client.Seed("FanOutOrchestrator", child + FanOut.GroupIdInfix + "g1", OrchestrationRuntimeStatus.Running);
        client.Seed("FanOutOrchestrator", child + FanOut.GroupIdInfix + "g2", OrchestrationRuntimeStatus.Completed);
        client.Seed("FanOutOrchestrator", "run-70" + FanOut.GroupIdInfix + "g3", OrchestrationRuntimeStatus.Running);

        var terminate = await api.TerminateRunAsync(new TestHttpRequest("POST", Base + "runs/run-7/terminate"), client, "run-7", CancellationToken.None);

        Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
        Assert.Equal(["run-7", child, child + FanOut.GroupIdInfix + "g1"], client.Terminated.Order(StringComparer.Ordinal));
    }

    private void AddGroup(string id, OrchestrationRuntimeStatus status, FanOutProgress progress)
        => client.Instances[id] = new OrchestrationMetadata(nameof(FanOutOrchestrator), id)
        {
            RuntimeStatus = status,
            SerializedCustomStatus = JsonDataConverter.Default.Serialize(progress),
            DataConverter = JsonDataConverter.Default,
        };

    private async Task<TestHttpResponse> GetRunAsync(string id)
        => (TestHttpResponse)await app.Create<RunsApi>().GetRunAsync(new TestHttpRequest("GET", Base + "runs/" + id), client, id, CancellationToken.None);
}
