using WildLong.Core.Documents;
using WildLong.Pipeline.Tests.Support;
using WildLong.Storage.Documents;

namespace WildLong.Pipeline.Tests;

/// <summary>DocumentIndexStore on Azurite: batched upserts, reads by id and in full, replacement on re-upsert.</summary>
[Collection(AzuriteCollection.Name)]
[Trait(TestCategories.Name, TestCategories.Azurite)]
public sealed class DocumentIndexStoreTests(AzuriteFixture fixture)
{
    private static DocumentIndexEntry Entry(int i, string? id = null, int tokens = 5000)
        => new(
            new IndexedDocument(id ?? $"corpus/doc-{i:D4}.txt", $"Title {i} ✓", i % 3 == 0 ? "novel" : "legal_contract", tokens + i, "4k-8k"),
            $"documents/{i:D4}.txt",
            $"sha256-{i:x8}");

    [Fact]
    public async Task Upserted_entries_read_back_whole_and_by_id()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.DocumentStore();
        var entries = Enumerable.Range(0, 450).Select(i => Entry(i)).ToList();
        entries.Add(Entry(999, id: "https://example.org/a/b?c=d#frag \\ 日本語 " + new string('x', 2000)));

        await store.UpsertAsync(entries, default);

        var all = await store.ReadAllAsync(default);
        Assert.Equal(entries.OrderBy(e => e.Document.Id, StringComparer.Ordinal), all);
        Assert.Equal(entries[^1], await store.GetAsync(entries[^1].Document.Id, default));
        Assert.Equal(entries[17], await store.GetAsync(entries[17].Document.Id, default));
        Assert.Null(await store.GetAsync("corpus/missing.txt", default));
    }

    [Fact]
    public async Task Re_upserting_replaces_rows_and_a_repeated_id_keeps_the_last_entry()
    {
        await using var context = new TableTestContext(fixture);
        using var store = context.DocumentStore();
        await store.UpsertAsync(Enumerable.Range(0, 20).Select(i => Entry(i)).ToList(), default);

        var changed = Entry(5, tokens: 9000) with { ContentHash = "sha256-changed" };
        await store.UpsertAsync([Entry(5), changed, Entry(20)], default);

        var all = await store.ReadAllAsync(default);
        Assert.Equal(21, all.Count);
        Assert.Equal(changed, await store.GetAsync(changed.Document.Id, default));
    }
}
