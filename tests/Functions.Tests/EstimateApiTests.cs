using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using WildLong.Functions.Http;
using WildLong.Functions.Tests.Support;
using WildLong.Storage.Tests.Support;

namespace WildLong.Functions.Tests;

/// <summary>The HTTP dry run over blob inputs: the repository's samples uploaded to Azurite, estimated without any model call.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EstimateApiTests(AzuriteFixture azurite)
{
    private const string Url = "https://wildlong.example/api/estimate";

    [Fact]
    public async Task Estimates_the_sample_inputs_from_blobs_with_the_requested_pairs()
    {
        using var app = new TestApp(azurite);
        await UploadSamplesAsync(app);
        var api = app.Create<EstimateApi>();

        var small = await EstimateAsync(api, """{"queriesPrefix":"in/","documentsPrefix":"in/","pairs":10}""");
        var large = await EstimateAsync(api, """{"queriesPrefix":"in/","documentsPrefix":"in/","pairs":100}""");

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        var estimate = JsonDocument.Parse(small.BodyText()).RootElement.GetProperty("estimate");
        Assert.Equal(300, estimate.GetProperty("queriesRead").GetInt32());
        Assert.True(estimate.GetProperty("documentsUsable").GetInt32() > 0);
        var plannedSmall = estimate.GetProperty("plannedPairs").GetInt32();
        var plannedLarge = JsonDocument.Parse(large.BodyText()).RootElement.GetProperty("estimate").GetProperty("plannedPairs").GetInt32();
        Assert.True(plannedSmall >= 10 && plannedLarge == plannedSmall * 10, $"planned {plannedSmall} and {plannedLarge}");
        Assert.True(JsonDocument.Parse(small.BodyText()).RootElement.GetProperty("cost").GetProperty("total").GetProperty("usage").GetProperty("calls").GetInt64() > 0);
    }

    [Fact]
    public async Task Missing_inputs_are_404_too_large_inputs_413_and_bad_fields_400()
    {
        using var app = new TestApp(azurite, new Dictionary<string, string?> { ["WildLong:Estimate:MaxDownloadBytes"] = "1000" });
        await UploadSamplesAsync(app);
        var api = app.Create<EstimateApi>();

        var missing = await EstimateAsync(api, """{"queriesPrefix":"nothing/","documentsPrefix":"in/"}""");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no query shards under", missing.BodyText(), StringComparison.Ordinal);

        var large = await EstimateAsync(api, """{"queriesPrefix":"in/","documentsPrefix":"in/"}""");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, large.StatusCode);
        Assert.Contains("MaxDownloadBytes", large.BodyText(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.BadRequest, (await EstimateAsync(api, """{"pairs":0}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await EstimateAsync(api, """{"multiDocumentShare":2}""")).StatusCode);
    }

    private static async Task<TestHttpResponse> EstimateAsync(EstimateApi api, string body)
        => (TestHttpResponse)await api.EstimateAsync(new TestHttpRequest("POST", Url, body), CancellationToken.None);

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
