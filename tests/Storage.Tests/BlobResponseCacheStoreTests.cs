using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Llm.Caching;
using WildLong.Storage.Caching;
using WildLong.Storage.Tests.Support;

namespace WildLong.Storage.Tests;

/// <summary>The Blob response cache store against real Azurite: layout, round trip, concurrent writers, corrupt entries.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BlobResponseCacheStoreTests(AzuriteFixture fixture)
{
    [Fact]
    public async Task An_entry_round_trips_under_its_prefixed_blob_name_in_a_container_created_on_first_put()
    {
        var (store, container) = NewStore();
        var entry = Entry("round trip", "answer text ✓");

        Assert.Null(await store.GetAsync(entry.Key, CancellationToken.None));
        Assert.False(await container.ExistsAsync());
        Assert.True(await store.PutAsync(entry, CancellationToken.None));

        Assert.Equal(entry, await store.GetAsync(entry.Key, CancellationToken.None));
        var blob = Assert.Single(container.GetBlobs());
        Assert.Equal($"{entry.Key[..2]}/{entry.Key}.json", blob.Name);
        Assert.Equal("application/json", blob.Properties.ContentType);
    }

    [Fact]
    public async Task Concurrent_puts_of_one_key_store_exactly_one_entry_and_none_fails()
    {
        var (store, _) = NewStore();
        var key = StableHash.ContentAddress("concurrent");
        var entries = Enumerable.Range(0, 8).Select(i => Entry("concurrent", $"answer {i}")).ToList();

        var stored = await Task.WhenAll(entries.Select(e => store.PutAsync(e, CancellationToken.None)));

        Assert.Equal(1, stored.Count(s => s));
        var winner = entries[Array.IndexOf(stored, true)];
        Assert.Equal(winner, await store.GetAsync(key, CancellationToken.None));
    }

    [Fact]
    public async Task A_corrupt_blob_is_a_logged_miss_and_is_replaced_by_the_next_put()
    {
        var logger = new ListLogger();
        var (store, container) = NewStore(logger);
        var entry = Entry("corrupt", "good answer");
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient(BlobResponseCacheStore.BlobNameOf(entry.Key)).UploadAsync(BinaryData.FromString("{\"key\": \"" + entry.Key + "\", \"text\": "));

        Assert.Null(await store.GetAsync(entry.Key, CancellationToken.None));
        Assert.Contains(logger.Messages, m => m.Contains("corrupt", StringComparison.Ordinal));

        Assert.True(await store.PutAsync(entry, CancellationToken.None));
        Assert.Equal(entry, await store.GetAsync(entry.Key, CancellationToken.None));
    }

    [Fact]
    public async Task An_entry_stored_under_another_key_is_a_miss()
    {
        var (store, container) = NewStore();
        var entry = Entry("one", "answer");
        var otherKey = StableHash.ContentAddress("other");
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient(BlobResponseCacheStore.BlobNameOf(otherKey)).UploadAsync(new BinaryData(ResponseCacheEntryJson.Serialize(entry)));

        Assert.Null(await store.GetAsync(otherKey, CancellationToken.None));
    }

    private (BlobResponseCacheStore Store, BlobContainerClient Container) NewStore(ILogger<BlobResponseCacheStore>? logger = null)
    {
        var options = new StorageOptions { ConnectionString = fixture.ConnectionString };
        options.Containers.LlmCache = AzuriteFixture.UniqueName("llmcache");
        var service = new BlobServiceClient(fixture.ConnectionString);
        var store = new BlobResponseCacheStore(service, Options.Create(options), logger ?? NullLogger<BlobResponseCacheStore>.Instance);
        return (store, service.GetBlobContainerClient(options.Containers.LlmCache));
    }

    private static CachedChatResponse Entry(string request, string text) => new()
    {
        Key = StableHash.ContentAddress(request),
        Text = text,
        FinishReason = "stop",
        ModelId = "gpt-4o-mini",
        InputTokens = 12,
        OutputTokens = 3,
        TotalTokens = 15,
    };

    private sealed class ListLogger : ILogger<BlobResponseCacheStore>
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Messages.Enqueue(formatter(state, exception));
    }
}
