using Microsoft.Extensions.AI;
using WildLong.Core.Documents;
using WildLong.Core.Generation;

namespace WildLong.Core.Tests.Generation;

public class DocumentContextTests
{
    [Fact]
    public void A_single_document_is_rendered_under_one_header_with_its_full_text()
    {
        var document = GenerationTestKit.Document("qmsum-TS3005a");

        var context = DocumentContext.For(document);

        Assert.StartsWith("Document: AMI product-design meeting TS3005a\n\n", context.Text, StringComparison.Ordinal);
        Assert.Contains(document.Text.TrimEnd(), context.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Document 1:", context.Text, StringComparison.Ordinal);
        Assert.Equal(["qmsum-TS3005a"], context.DocumentIds);
    }

    [Fact]
    public void Several_documents_are_concatenated_with_numbered_title_headers_in_order()
    {
        var documents = new[] { GenerationTestKit.Document("sqlite-json1"), GenerationTestKit.Document("sqlite-queryplanner"), new LongDocument("x", " ", "Body of x.", "test") };

        var text = DocumentContext.For(documents).Text;

        var h1 = text.IndexOf("Document 1: JSON Functions And Operators\n\n", StringComparison.Ordinal);
        var body1 = text.IndexOf(documents[0].Text.TrimEnd(), StringComparison.Ordinal);
        var h2 = text.IndexOf("\n\nDocument 2: Query Planning\n\n", StringComparison.Ordinal);
        var body2 = text.IndexOf(documents[1].Text.TrimEnd(), StringComparison.Ordinal);
        var h3 = text.IndexOf("\n\nDocument 3: x\n\nBody of x.", StringComparison.Ordinal);
        Assert.Equal(0, h1);
        Assert.True(h1 < body1 && body1 < h2 && h2 < body2 && body2 < h3, "headers and bodies are out of order");
        Assert.EndsWith("[End of Document 3]", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Documents_come_first_and_byte_identical_in_adaptation_answer_and_judge_requests()
    {
        var contractA = GenerationTestKit.Document("cuad-005");
        var contractB = GenerationTestKit.Document("cuad-002");
        var chat = GenerationTestKit.Model();
        var generator = GenerationTestKit.Generator(chat);
        var batch = new[]
        {
            new LoadedPair(GenerationTestKit.Plan(GenerationTestKit.Instruction("legal_contract", 0), contractA), [contractA]),
            new LoadedPair(GenerationTestKit.Plan(GenerationTestKit.Instruction("legal_contract", 1), contractA), [contractA]),
            new LoadedPair(GenerationTestKit.Plan(GenerationTestKit.Instruction("legal_contract", 2, TaskKind.Comparison), contractA, contractB), [contractA, contractB]),
        };

        var result = await generator.GenerateAsync(batch, CancellationToken.None);

        Assert.Equal(3, result.Items.Count);
        var requests = chat.Requests.ToList();
        Assert.Equal(9, requests.Count);
        var single = DocumentContext.For(contractA).Text;
        var pair = DocumentContext.For([contractA, contractB]).Text;
        foreach (var (messages, options) in requests)
        {
            Assert.Equal(ChatRole.User, messages[0].Role);
            var expected = messages[0].Text.StartsWith("Document 1:", StringComparison.Ordinal) ? pair : single;
            Assert.Equal(expected, messages[0].Text);
            Assert.True(messages.Count >= 3, "the stage prompt must follow the document context");
            Assert.DoesNotContain(messages.Skip(1), m => m.Text.Contains(contractA.Text[..2000], StringComparison.Ordinal));
        }

        // Each of the three stages saw the same prefix for the same item.
        Assert.Equal(3, requests.Count(r => r.Messages[0].Text == pair));
        Assert.Equal(
            ["adapted_instruction", "grounded_response", "quality_verdict"],
            requests.Where(r => r.Messages[0].Text == pair).Select(r => GenerationTestKit.SchemaName(r.Options)).Order());

        // The training record's user turn holds the very same bytes, first or after the request by its position.
        Assert.All(result.Items, r =>
        {
            var documents = r.Meta.DocumentIds.Count == 1 ? single : pair;
            if (r.Meta.InstructionPosition == InstructionPosition.BeforeDocuments)
            {
                Assert.EndsWith("\n\n" + documents, r.Messages[0].Content, StringComparison.Ordinal);
            }
            else
            {
                Assert.StartsWith(documents, r.Messages[0].Content, StringComparison.Ordinal);
            }
        });
    }
}
