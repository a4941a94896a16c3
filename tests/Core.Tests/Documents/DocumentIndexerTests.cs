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
        Assert.Equal(documents.Count, result.Items.Count + result.Quarantined.Count);
        foreach (var document in documents)
        {
            var tokens = TokenCounter.Shared.Count(document.Text);
            var indexed = result.Items.SingleOrDefault(i => i.Id == document.Id);
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
}
