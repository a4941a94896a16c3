using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.Storage.Blobs;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenAI;
using WildLong.Core.Model;
using WildLong.Llm.Caching;
using WildLong.Simulator;
using WildLong.Storage.Caching;
using WildLong.Storage.Tests.Support;

namespace WildLong.Storage.Tests;

/// <summary>The whole cache path as deployed: LlmCaller → response cache on Blob Storage (Azurite) → OpenAI client → simulator.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobCachedChatTests(AzuriteFixture fixture)
{
    [Fact]
    public async Task A_second_worker_with_the_same_request_is_served_from_blob_storage_and_the_simulator_sees_one_request()
    {
        await using var server = await SimulatorServer.StartAsync(new SimulatorOptions { MetricsLogIntervalSeconds = 0 }, CancellationToken.None);
        var storage = new StorageOptions { ConnectionString = fixture.ConnectionString };
        storage.Containers.LlmCache = AzuriteFixture.UniqueName("llmcache");
        var blobs = new BlobServiceClient(fixture.ConnectionString);
        ChatMessage[] messages = [new(ChatRole.System, "You answer questions about documents."), new(ChatRole.User, "Who signs the lease? The lease is signed by the tenant and the landlord.")];

        // Two workers: separate clients, stores and ledgers, one storage account.
        var results = new List<(LlmResult Result, UsageLedger Ledger)>();
        for (var worker = 0; worker < 2; worker++)
        {
            var ledger = new UsageLedger();
            var store = new BlobResponseCacheStore(blobs, Options.Create(storage), NullLogger<BlobResponseCacheStore>.Instance);
            var chat = new OpenAIClient(new ApiKeyCredential(server.ApiKey), new OpenAIClientOptions { Endpoint = new Uri(server.BaseAddress, "v1"), RetryPolicy = new ClientRetryPolicy(0) })
                .GetChatClient("gpt-4o-mini").AsIChatClient();
            var cache = new ResponseCachingChatClient(chat, store, Options.Create(new ResponseCacheOptions()), ledger, NullLogger<ResponseCachingChatClient>.Instance);
            var caller = new LlmCaller(cache, ledger, Options.Create(new LlmCallOptions()), NullLogger<LlmCaller>.Instance);
            results.Add((await caller.CompleteTextAsync("response-generation", messages, 200, 5, CancellationToken.None), ledger));
        }

        Assert.True(results[0].Result.Success, results[0].Result.FailureReason);
        Assert.Equal(results[0].Result.Text, results[1].Result.Text);
        Assert.Equal(1, server.Metrics.Snapshot().Totals.Requests);
        Assert.Equal(0, results[0].Ledger.Snapshot()["response-generation"].CacheHits);
        Assert.Equal(1, results[1].Ledger.Snapshot()["response-generation"].CacheHits);
        Assert.Single(blobs.GetBlobContainerClient(storage.Containers.LlmCache).GetBlobs());
    }
}
