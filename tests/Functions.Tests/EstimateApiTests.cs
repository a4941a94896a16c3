using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using WildLong.Functions.Estimation;
using WildLong.Functions.Http;
using WildLong.Functions.Tests.Support;

namespace WildLong.Functions.Tests;

/// <summary>The HTTP dry run over blob inputs as a job: the repository's samples uploaded to Azurite, estimated without any model call, read at the status URL.</summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class EstimateApiTests(AzuriteFixture azurite)
{
    private const string Url = "https://wildlong.example/api/estimate";

    [Fact]
    public async Task An_estimate_is_a_job_answered_202_whose_status_url_gives_the_estimate_for_the_requested_pairs()
    {
        using var app = new TestApp(azurite);
        await UploadSamplesAsync(app);
        var api = app.Create<EstimateApi>();
        var client = new FakeDurableTaskClient();

        var small = await EstimateAsync(api, client, """{"queriesPrefix":"in/","documentsPrefix":"in/","pairs":10}""");
        var large = await EstimateAsync(api, client, """{"queriesPrefix":"in/","documentsPrefix":"in/","pairs":100}""");

        Assert.Equal(HttpStatusCode.Accepted, small.StatusCode);
        var accepted = JsonDocument.Parse(small.BodyText()).RootElement;
        var id = accepted.GetProperty("id").GetString()!;
        Assert.Equal($"https://wildlong.example/api/estimates/{id}", accepted.GetProperty("status").GetString());
        Assert.Equal(accepted.GetProperty("status").GetString(), small.Header("Location"));
        Assert.Equal(2, client.Scheduled.Count);
        Assert.All(client.Scheduled, s => Assert.Equal(nameof(EstimateOrchestrator), s.Name));
        Assert.Equal(id, client.Scheduled[0].InstanceId);
        Assert.NotEqual(client.Scheduled[0].InstanceId, client.Scheduled[1].InstanceId);

        // While the job runs, its status URL says so.
        var pending = await GetAsync(api, client, id);
        Assert.Equal(HttpStatusCode.Accepted, pending.StatusCode);
        Assert.Equal("Pending", JsonDocument.Parse(pending.BodyText()).RootElement.GetProperty("runtimeStatus").GetString());

        // The job's activity, then its completion: the status URL answers what the synchronous endpoint used to.
        var smallEstimate = await CompleteAsync(app, api, client, 0);
        var largeEstimate = await CompleteAsync(app, api, client, 1);
        var estimate = smallEstimate.GetProperty("estimate");
        Assert.Equal(300, estimate.GetProperty("queriesRead").GetInt32());
        Assert.True(estimate.GetProperty("documentsUsable").GetInt32() > 0);
        var plannedSmall = estimate.GetProperty("plannedPairs").GetInt32();
        var plannedLarge = largeEstimate.GetProperty("estimate").GetProperty("plannedPairs").GetInt32();
        Assert.True(plannedSmall >= 10 && plannedLarge == plannedSmall * 10, $"planned {plannedSmall} and {plannedLarge}");
        Assert.True(smallEstimate.GetProperty("cost").GetProperty("total").GetProperty("usage").GetProperty("calls").GetInt64() > 0);
        Assert.True(smallEstimate.GetProperty("capacity").GetProperty("activities").GetInt64() > 0);
    }

    [Fact]
    public async Task Missing_inputs_are_404_too_large_inputs_413_and_bad_fields_400_without_starting_a_job()
    {
        using var app = new TestApp(azurite, new Dictionary<string, string?> { ["WildLong:Estimate:MaxDownloadBytes"] = "1000" });
        await UploadSamplesAsync(app);
        var api = app.Create<EstimateApi>();
        var client = new FakeDurableTaskClient();

        var missing = await EstimateAsync(api, client, """{"queriesPrefix":"nothing/","documentsPrefix":"in/"}""");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no query shards under", missing.BodyText(), StringComparison.Ordinal);

        var large = await EstimateAsync(api, client, """{"queriesPrefix":"in/","documentsPrefix":"in/"}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Contains("MaxDownloadBytes", large.BodyText(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await EstimateAsync(api, client, """{"pairs":0}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await EstimateAsync(api, client, """{"multiDocumentShare":2}""")).StatusCode);
        Assert.Empty(client.Scheduled);
    }

    [Fact]
    public async Task The_status_url_is_404_for_an_unknown_or_foreign_id_and_500_with_the_reason_for_a_failed_job()
    {
        using var app = new TestApp(azurite);
        var api = app.Create<EstimateApi>();
        var client = new FakeDurableTaskClient();
        client.Seed("RunOrchestrator", EstimateApi.IdPrefix + "run", OrchestrationRuntimeStatus.Completed);
        client.Seed(nameof(EstimateOrchestrator), EstimateApi.IdPrefix + "failed", OrchestrationRuntimeStatus.Failed,
            failure: new TaskFailureDetails("InvalidOperationException", "no query shards under 'queries/in/'", null, null, null));

        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(api, client, EstimateApi.IdPrefix + "unknown")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetAsync(api, client, EstimateApi.IdPrefix + "run")).StatusCode);
        var failed = await GetAsync(api, client, EstimateApi.IdPrefix + "failed");
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Contains("failed: no query shards under 'queries/in/'", JsonDocument.Parse(failed.BodyText()).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static async Task<TestHttpResponse> EstimateAsync(EstimateApi api, FakeDurableTaskClient client, string body)
        => (TestHttpResponse)await api.EstimateAsync(new TestHttpRequest("POST", Url, body), client, CancellationToken.None);

    private static async Task<TestHttpResponse> GetAsync(EstimateApi api, FakeDurableTaskClient client, string id)
        => (TestHttpResponse)await api.GetEstimateAsync(new TestHttpRequest("GET", $"https://wildlong.example/api/estimates/{id}", string.Empty), client, id, CancellationToken.None);

    /// <summary>Runs the scheduled job's activity work as the orchestrator would, marks the job completed with its output, reads the status URL.</summary>
    private static async Task<JsonElement> CompleteAsync(TestApp app, EstimateApi api, FakeDurableTaskClient client, int job)
    {
        var (_, id, input) = client.Scheduled[job];
        var request = Assert.IsType<EstimateRequest>(input);
        var result = await app.Create<InputsEstimator>().EstimateAsync(request, CancellationToken.None);
        client.Seed(nameof(EstimateOrchestrator), id, OrchestrationRuntimeStatus.Completed, input, output: result);
        var response = await GetAsync(api, client, id);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(response.BodyText()).RootElement;
    }

    private async Task UploadSamplesAsync(TestApp app)
    {
        var samples = FindSamples();
        foreach (var (kind, file) in new[] { ("Queries", "queries.jsonl"), ("Documents", "documents.jsonl") })
        {
            var container = new BlobContainerClient(azurite.ConnectionString, app.Containers[kind]);
            await container.CreateIfNotExistsAsync();
            await container.GetBlobClient("in/" + file).UploadAsync(Path.Combine(samples, file), overwrite: true);
        }
    }

    private static string FindSamples()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "samples");
            if (File.Exists(Path.Combine(candidate, "queries.jsonl")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("samples/ not found above the test folder");
    }
}
