using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenAI;
using WildLong.Llm.Batch;
using WildLong.Simulator;

namespace WildLong.Llm.Tests.Batch;

/// <summary>
/// The Global Batch steps against the simulator's Files and Batch API: write → upload → submit → poll → collect →
/// resubmit what failed → collect again, until every custom_id is accounted for exactly once.
/// </summary>
public sealed class BatchEndToEndTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("wildlong-batch-e2e-").FullName;

    [Fact]
    public async Task Failed_lines_are_resubmitted_until_every_request_is_answered_once_and_permanent_failures_stay_failed()
    {
        await using var server = await StartSimulatorAsync(o => o.Batch.LineFailureRate = 0.3);
        var options = new GlobalBatchOptions { Endpoint = "/v1/chat/completions", MaxLinesPerFile = 8 };
        var client = Client(server, options);
        var writer = new BatchRequestWriter(Options.Create(options));
        var requests = Enumerable.Range(0, 20).Select(i => Request($"item-{i:D2}", $"Which clause of contract {i} covers termination, and how much notice does it need?")).ToList();
        requests.Add(Request("bad-model", "Nobody serves this model.") with { Model = "no-such-deployment" });

        var requestFiles = await writer.WriteAsync(requests, directory, "round-1", CancellationToken.None);
        Assert.Equal(3, requestFiles.Count);
        var collected = await RunRoundAsync(client, requestFiles);
        var firstRoundRetryable = collected.Retryable.Select(r => r.CustomId).ToList();
        Assert.NotEmpty(firstRoundRetryable);
        Assert.Equal(requests.Count, collected.Results.Count);

        var allFiles = requestFiles.Select(f => f.Path).ToList();
        var round = 1;
        var resubmitted = new List<IReadOnlyList<string>>();
        while (true)
        {
            var plan = await client.PlanResubmissionAsync(collected, allFiles, directory, $"round-{++round}", CancellationToken.None);
            if (plan.IsEmpty)
            {
                break;
            }

            Assert.True(round <= 10, "resubmission did not converge");
            resubmitted.Add(plan.CustomIds);
            allFiles.AddRange(plan.Files.Select(f => f.Path));
            collected = collected.Merge(await RunRoundAsync(client, plan.Files));
        }

        Assert.Equal(firstRoundRetryable, resubmitted[0]);
        Assert.DoesNotContain("bad-model", resubmitted.SelectMany(ids => ids));
        Assert.Equal(requests.Select(r => r.CustomId).Order(StringComparer.Ordinal), collected.Results.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(collected.Problems);
        var failed = Assert.Single(collected.Failed);
        Assert.Equal("bad-model", failed.CustomId);
        Assert.False(failed.Retryable);
        Assert.Contains("DeploymentNotFound", failed.FailureReason, StringComparison.Ordinal);
        Assert.Equal(20, collected.Succeeded.Count);
        Assert.All(collected.Succeeded, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.Response!.Text));
            Assert.Equal(ChatFinishReason.Stop, r.Response.FinishReason);
            Assert.Contains("gpt-4o-mini", r.Response.ModelId, StringComparison.Ordinal);
            Assert.True(r.Response.Usage!.InputTokenCount > 0);
        });
    }

    [Fact]
    public async Task A_cancelled_batch_reports_every_request_missing_and_plans_all_of_them_again_verbatim()
    {
        await using var server = await StartSimulatorAsync(o => o.Batch.LineDelayMs = 600_000);
        var options = new GlobalBatchOptions { Endpoint = "/v1/chat/completions" };
        var client = Client(server, options);
        var requests = Enumerable.Range(0, 3).Select(i => Request($"slow-{i}", $"Question {i}")).ToList();
        var file = Assert.Single(await new BatchRequestWriter(Options.Create(options)).WriteAsync(requests, directory, "slow", CancellationToken.None));

        var submitted = await client.SubmitAsync(await client.UploadAsync(file.Path, CancellationToken.None), CancellationToken.None);
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.CollectAsync(submitted, file.CustomIds, CancellationToken.None));
        using (var http = new HttpClient { BaseAddress = server.BaseAddress })
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.ApiKey);
            using var cancel = await http.PostAsync($"v1/batches/{submitted.Id}/cancel", null);
            cancel.EnsureSuccessStatusCode();
        }

        var final = await WaitAsync(client, submitted.Id);
        var collected = await client.CollectAsync(final, file.CustomIds, CancellationToken.None);
        var plan = await client.PlanResubmissionAsync(collected, [file.Path], directory, "slow-again", CancellationToken.None);

        Assert.Equal("cancelled", final.Status);
        Assert.All(collected.Results.Values, r => Assert.StartsWith("missing", r.FailureReason, StringComparison.Ordinal));
        Assert.Equal(file.CustomIds.Order(StringComparer.Ordinal), plan.CustomIds.Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllText(file.Path), File.ReadAllText(Assert.Single(plan.Files).Path));
    }

    [Fact]
    public async Task The_Azure_OpenAI_client_runs_the_same_steps_on_the_Azure_routes()
    {
        await using var server = await StartSimulatorAsync(_ => { });
        var options = new GlobalBatchOptions { Endpoint = "/chat/completions" };
        var azure = new AzureOpenAIClient(server.BaseAddress, new ApiKeyCredential(server.ApiKey), new AzureOpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(0) });
        var client = BatchJobClient.Create(azure, Options.Create(options), NullLogger<BatchJobClient>.Instance);
        var requests = Enumerable.Range(0, 4).Select(i => Request($"az-{i}", $"What does clause {i} say about payment?")).ToList();
        var files = await new BatchRequestWriter(Options.Create(options)).WriteAsync(requests, directory, "azure", CancellationToken.None);

        var collected = await RunRoundAsync(client, files);

        Assert.Equal(requests.Select(r => r.CustomId).Order(StringComparer.Ordinal), collected.Results.Keys.Order(StringComparer.Ordinal));
        Assert.All(collected.Results.Values, r => Assert.True(r.Succeeded, r.FailureReason));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    /// <summary>One round: each file uploaded and submitted, polled until done, collected against its own ids.</summary>
    private static async Task<BatchCollection> RunRoundAsync(BatchJobClient client, IReadOnlyList<BatchRequestFile> files)
    {
        var submitted = new List<(BatchRequestFile File, BatchJobStatus Status)>();
        foreach (var file in files)
        {
            submitted.Add((file, await client.SubmitAsync(await client.UploadAsync(file.Path, CancellationToken.None), CancellationToken.None)));
        }

        var parts = new List<BatchCollection>();
        foreach (var (file, status) in submitted)
        {
            parts.Add(await client.CollectAsync(await WaitAsync(client, status.Id), file.CustomIds, CancellationToken.None));
        }

        return BatchCollection.Combine(parts);
    }

    /// <summary>The test's polling loop; the client itself polls once per call.</summary>
    private static async Task<BatchJobStatus> WaitAsync(BatchJobClient client, string batchId)
    {
        for (var poll = 0; poll < 1_200; poll++)
        {
            var status = await client.GetStatusAsync(batchId, CancellationToken.None);
            if (status.IsTerminal)
            {
                return status;
            }

            await Task.Delay(25);
        }

        throw new Xunit.Sdk.XunitException($"batch {batchId} did not finish");
    }

    private static Task<SimulatorServer> StartSimulatorAsync(Action<SimulatorOptions> configure)
    {
        var options = new SimulatorOptions { MetricsLogIntervalSeconds = 0 };
        configure(options);
        return SimulatorServer.StartAsync(options, CancellationToken.None);
    }

    private static BatchJobClient Client(SimulatorServer server, GlobalBatchOptions options)
        => BatchJobClient.Create(
            new OpenAIClient(new ApiKeyCredential(server.ApiKey), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) }),
            Options.Create(options),
            NullLogger<BatchJobClient>.Instance);

    private static BatchRequest Request(string id, string question) => new()
    {
        CustomId = id,
        Model = "gpt-4o-mini",
        Messages = [new ChatMessage(ChatRole.System, "You answer questions about contracts."), new ChatMessage(ChatRole.User, question)],
        MaxOutputTokens = 200,
        Seed = 11,
    };
}
