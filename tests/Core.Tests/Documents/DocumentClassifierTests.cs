using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Documents;

public class DocumentClassifierTests
{
    private static DocumentClassifier Classifier(ScriptedChatClient chat, DocumentOptions? options = null)
        => new(TestLlm.Caller(chat), Options.Create(options ?? new DocumentOptions()));

    [Fact]
    public async Task Documents_with_a_resolvable_hint_need_no_model_call()
    {
        var documents = await DocumentTestData.RealDocumentsAsync();
        var chat = ScriptedChatClient.Sequence();

        var result = await Classifier(chat).ClassifyAsync(documents, CancellationToken.None);

        Assert.Empty(chat.Requests);
        Assert.Empty(result.Quarantined);
        Assert.Equal(documents.Select(d => d.Id), result.Items.Select(c => c.DocumentId));
        Assert.All(result.Items, c => Assert.Equal(DocumentClassification.FromHint, c.Method));
        var types = result.Items.ToDictionary(c => c.DocumentId, c => c.DocumentType);
        // Corpus hints that are not taxonomy names still map onto the taxonomy.
        Assert.Equal("speech", types["sotu-1970_richard_nixon_r"]);
        Assert.Equal("technical_standard", types["rfc-4145"]);
        Assert.Equal("book_nonfiction", types["pg-simple_sabotage"]);
        Assert.Equal("legal_contract", types["cuad-005"]);
        Assert.All(result.Items, c => Assert.Contains(c.DocumentType, DocumentTaxonomy.Default.Names));
    }

    [Fact]
    public async Task Without_a_hint_the_model_picks_from_the_taxonomy_enum()
    {
        var real = (await DocumentTestData.RealDocumentsAsync()).First(d => d.Id == "cuad-005");
        var document = real with { DocTypeHint = null };
        var chat = ScriptedChatClient.Sequence("""{"document_type": "legal_contract"}""");
        var options = new DocumentOptions { ClassificationExcerptTokens = 300 };

        var result = await Classifier(chat, options).ClassifyAsync([document], CancellationToken.None);

        var classification = Assert.Single(result.Items);
        Assert.Equal(new DocumentClassification("cuad-005", "legal_contract", DocumentClassification.FromModel, "document-classification@1"), classification);
        var (messages, chatOptions) = Assert.Single(chat.Requests);
        Assert.Equal(64, chatOptions?.MaxOutputTokens);
        Assert.NotNull(chatOptions?.Seed);
        var format = Assert.IsType<ChatResponseFormatJson>(chatOptions?.ResponseFormat);
        var allowed = format.Schema!.Value.GetProperty("properties").GetProperty("document_type").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(DocumentTaxonomy.Default.Names, allowed);

        var user = messages.Last(m => m.Role == ChatRole.User).Text;
        Assert.Contains(document.Title, user, StringComparison.Ordinal);
        var excerptStart = user.IndexOf("<<<\n", StringComparison.Ordinal) + 4;
        var excerpt = user[excerptStart..user.LastIndexOf("\n>>>", StringComparison.Ordinal)];
        Assert.StartsWith(excerpt, document.Text, StringComparison.Ordinal);
        Assert.InRange(TokenCounter.Shared.Count(excerpt), 250, 300);
    }

    [Fact]
    public async Task Invalid_answers_are_retried_then_quarantined_without_losing_the_rest_of_the_batch()
    {
        var documents = await DocumentTestData.RealDocumentsAsync();
        var unhinted = documents.First(d => d.Id == "qasper-002") with { DocTypeHint = "something odd" };
        var hinted = documents.First(d => d.Id == "bigpatent-005");
        var chat = ScriptedChatClient.Sequence("not json", """{"document_type": "banana"}""", """{"type": "patent"}""");

        var result = await Classifier(chat).ClassifyAsync([unhinted, hinted], CancellationToken.None);

        Assert.Equal(3, chat.Requests.Count);
        var item = Assert.Single(result.Items);
        Assert.Equal(("bigpatent-005", "patent"), (item.DocumentId, item.DocumentType));
        var error = Assert.Single(result.Quarantined);
        Assert.Equal("classify-documents", error.Stage);
        Assert.Equal("qasper-002", error.ItemId);
        Assert.Contains("could not be classified", error.Reason, StringComparison.Ordinal);
        Assert.Contains("after 3 attempts", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_that_corrects_the_answer_succeeds()
    {
        var document = new LongDocument("memo-1", "Quarterly memo", "To all staff: the quarterly numbers are in.", "test");
        var chat = ScriptedChatClient.Sequence("""{"document_type": "memo"}""", """{"document_type": "business_document"}""");

        var result = await Classifier(chat).ClassifyAsync([document], CancellationToken.None);

        Assert.Equal("business_document", Assert.Single(result.Items).DocumentType);
        Assert.Equal(2, chat.Requests.Count);
        Assert.Contains("not one of", chat.Requests.Last().Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_document_gets_the_same_seed_every_time()
    {
        var document = new LongDocument("x", "t", "some text", "test");
        var chat = ScriptedChatClient.FromText((_, _) => """{"document_type": "other"}""");
        var classifier = Classifier(chat);

        await classifier.ClassifyAsync([document], CancellationToken.None);
        await classifier.ClassifyAsync([document with { Id = "y" }], CancellationToken.None);
        await classifier.ClassifyAsync([document], CancellationToken.None);

        var seeds = chat.Requests.Select(r => r.Options?.Seed).ToList();
        Assert.Equal(seeds[0], seeds[2]);
        Assert.NotEqual(seeds[0], seeds[1]);
    }
}
