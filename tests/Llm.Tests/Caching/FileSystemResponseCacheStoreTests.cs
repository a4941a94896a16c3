using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Llm.Caching;

namespace WildLong.Llm.Tests.Caching;

/// <summary>The folder store: layout, round trip, first writer wins, corrupt entries are misses that get replaced.</summary>
public sealed class FileSystemResponseCacheStoreTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("wildlong-cache-test-").FullName;
    private readonly CacheTestKit.ListLogger<FileSystemResponseCacheStore> logger = new();

    [Fact]
    public async Task An_entry_round_trips_under_a_two_character_prefix_folder()
    {
        var store = NewStore();
        var entry = Entry("round trip", "réponse ✓");

        Assert.Null(await store.GetAsync(entry.Key, CancellationToken.None));
        Assert.True(await store.PutAsync(entry, CancellationToken.None));

        Assert.Equal(entry, await store.GetAsync(entry.Key, CancellationToken.None));
        Assert.True(File.Exists(Path.Combine(root, entry.Key[..2], entry.Key + ".json")));
    }

    [Fact]
    public async Task Concurrent_puts_of_one_key_store_exactly_one_entry()
    {
        var store = NewStore();
        var entries = Enumerable.Range(0, 16).Select(i => Entry("same request", $"answer {i}")).ToList();

        var stored = await Task.WhenAll(entries.Select(e => Task.Run(() => store.PutAsync(e, CancellationToken.None))));

        Assert.Equal(1, stored.Count(s => s));
        Assert.Equal(entries[Array.IndexOf(stored, true)], await store.GetAsync(entries[0].Key, CancellationToken.None));
        Assert.Single(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_corrupt_entry_is_a_logged_miss_and_the_next_answer_replaces_it()
    {
        var store = NewStore();
        var entry = Entry("corrupt", "good answer");
        var path = Path.Combine(root, entry.Key[..2], entry.Key + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "{\"key\":\"" + entry.Key + "\",\"text\":\"cut of");

        Assert.Null(await store.GetAsync(entry.Key, CancellationToken.None));
        Assert.Contains(logger.Messages, m => m.Contains("corrupt", StringComparison.Ordinal));
        Assert.True(await store.PutAsync(entry, CancellationToken.None));
        Assert.Equal(entry, await store.GetAsync(entry.Key, CancellationToken.None));
    }

    [Fact]
    public async Task Keys_that_are_not_content_addresses_are_refused()
    {
        var store = NewStore();

        await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync("../../etc/passwd", CancellationToken.None));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private FileSystemResponseCacheStore NewStore()
        => new(Options.Create(new ResponseCacheOptions { Directory = root }), logger);

    private static CachedChatResponse Entry(string request, string text) => new()
    {
        Key = StableHash.ContentAddress(request),
        Text = text,
        FinishReason = "stop",
        ModelId = "gpt-4o-mini",
        InputTokens = 20,
        OutputTokens = 4,
    };
}
