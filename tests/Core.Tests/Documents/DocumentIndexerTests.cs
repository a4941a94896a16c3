using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Documents;

public class DocumentIndexerTests
{
    private static DocumentIndexer Indexer(ScriptedChatClient chat)
    {
        var options = Options.Create(new DocumentOptions());
        return new DocumentIndexer(new DocumentClassifier(TestLlm.Caller(chat), options), options);
    }

    [Fact]
    public async Task Indexes_the_real_documents_and_quarantines_those_outside_the_buckets()
    {
        var documents = await DocumentTestData.RealDocumentsAsync();
        var chat = ScriptedChatClient.Sequence();

        var result = await Indexer(chat).IndexAsync(documents, CancellationToken.None);

        Assert.Empty(chat.Requests);
        var partOnlyNotes = result.Quarantined.Count(DocumentIndexer.IsPartOnlyNote);
        Assert.Equal(documents.Count, result.Items.Count + result.Quarantined.Count - partOnlyNotes);
        foreach (var document in documents)
        {
            var tokens = TokenCounter.Shared.Count(document.Text);
            var indexed = result.Items.SingleOrDefault(i => i.Id == document.Id);
            if (tokens is >= 1024 and < 4096)
            {
                // Too short on its own: indexed for multi-document tasks only, and reported.
                Assert.NotNull(indexed);
                Assert.True(indexed.IsPartOnly);
                Assert.True(DocumentIndexer.IsPartOnlyNote(Assert.Single(result.Quarantined, q => q.ItemId == document.Id)));
                continue;
            }

            if (tokens < 4096)
            {
                Assert.Null(indexed);
                var error = Assert.Single(result.Quarantined, q => q.ItemId == document.Id);
                Assert.Equal("index-documents", error.Stage);
                Assert.Contains($"{tokens} tokens", error.Reason, StringComparison.Ordinal);
                continue;
            }

            Assert.NotNull(indexed);
            Assert.Equal(tokens, indexed.Tokens);
            Assert.Equal(document.Title, indexed.Title);
            Assert.Equal(DocumentTaxonomy.Default.Resolve(document.DocTypeHint), indexed.DocumentType);
            var bucket = Assert.Single(LengthBuckets.DefaultDefinitions, b => b.Label == indexed.LengthBucket);
            Assert.InRange(tokens, bucket.MinTokens, bucket.MaxTokens - 1);
        }
    }

    [Fact]
    public async Task Too_short_documents_are_rejected_before_any_model_call()
    {
        var chat = ScriptedChatClient.Sequence();
        var tiny = new LongDocument("tiny", "Tiny", "Only a few words.", "test");

        var result = await Indexer(chat).IndexAsync([tiny], CancellationToken.None);

        Assert.Empty(chat.Requests);
        Assert.Empty(result.Items);
        Assert.Contains("too short", Assert.Single(result.Quarantined).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unhinted_documents_are_classified_and_failures_quarantined()
    {
        var documents = await DocumentTestData.RealDocumentsAsync();
        var longDocs = documents.Where(d => TokenCounter.Shared.Count(d.Text) >= 4096).Take(2).ToList();
        var good = longDocs[0] with { Id = "good", DocTypeHint = null };
        var bad = longDocs[1] with { Id = "bad", DocTypeHint = null };
        var chat = ScriptedChatClient.FromText((messages, _) =>
            messages.Any(m => m.Text.Contains(good.Title, StringComparison.Ordinal)) ? """{"document_type": "essay"}""" : "nonsense");

        var result = await Indexer(chat).IndexAsync([good, bad, good], CancellationToken.None);

        Assert.Equal([("good", "essay")], result.Items.Select(i => (i.Id, i.DocumentType)));
        Assert.Equal(2, result.Quarantined.Count);
        Assert.Contains(result.Quarantined, q => q.ItemId == "good" && q.Reason.Contains("duplicate", StringComparison.Ordinal));
        Assert.Contains(result.Quarantined, q => q.ItemId == "bad" && q.Stage == "classify-documents");
    }

    [Fact]
    public async Task Documents_under_the_smallest_bucket_become_part_only_above_min_part_tokens_and_are_reported()
    {
        var chat = ScriptedChatClient.Sequence();
        var words = string.Join(' ', Enumerable.Range(0, 1500).Select(i => "word" + (i % 97).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var shortOne = new LongDocument("short", "Short memo", words, "test") { DocTypeHint = "legal_contract" };
        var tiny = new LongDocument("tiny", "Tiny", "Only a few words.", "test") { DocTypeHint = "legal_contract" };
        var options = Options.Create(new DocumentOptions { MinPartTokens = 500 });
        var indexer = new DocumentIndexer(new DocumentClassifier(TestLlm.Caller(chat), options), options);

        var result = await indexer.IndexAsync([shortOne, tiny], CancellationToken.None);

        var indexed = Assert.Single(result.Items);
        Assert.Equal("short", indexed.Id);
        Assert.Equal(LengthBuckets.PartOnlyLabel, indexed.LengthBucket);
        Assert.True(indexed.IsPartOnly);
        Assert.Equal(2, result.Quarantined.Count);
        var note = Assert.Single(result.Quarantined, q => q.ItemId == "short");
        Assert.True(DocumentIndexer.IsPartOnlyNote(note));
        Assert.Contains("kept for multi-document tasks only", note.Reason, StringComparison.Ordinal);
        Assert.False(DocumentIndexer.IsPartOnlyNote(Assert.Single(result.Quarantined, q => q.ItemId == "tiny")));
    }
}
