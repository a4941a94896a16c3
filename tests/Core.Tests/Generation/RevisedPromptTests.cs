using System.Text.Json;
using Microsoft.Extensions.AI;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Prompts;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Generation;

/// <summary>
/// Pins the revised stage-2 prompts (issue 10): the schema each answer must follow (fields and their order where the
/// order makes the model reason first), the rules the rendered prompts state, and what the code does with the
/// answers: fits → re-pairing, citations → metadata and stripped text, the judge's view of the generic request.
/// </summary>
public class RevisedPromptTests
{
    private static readonly LongDocument ContractA = GenerationTestKit.Document("cuad-005");
    private static readonly LongDocument ContractB = GenerationTestKit.Document("cuad-002");
    private static readonly LongDocument Report = GenerationTestKit.Document("govreport-006");

    private static JsonElement SentSchema(ScriptedChatClient chat, string schemaName)
        => chat.Requests.Select(r => r.Options?.ResponseFormat).OfType<ChatResponseFormatJson>().First(f => f.SchemaName == schemaName).Schema!.Value;

    private static string[] PropertyOrder(JsonElement schema) => [.. schema.GetProperty("properties").EnumerateObject().Select(p => p.Name)];

    private static LoadedPair Single(long index, LongDocument document, string text = "Summarize the termination rights in the document.")
        => new(GenerationTestKit.Plan(GenerationTestKit.Instruction("legal_contract", index, text: text), document), [document]);

    [Fact]
    public async Task Every_stage_sends_its_schema_with_the_reasoning_fields_first()
    {
        var chat = GenerationTestKit.Model();
        var result = await GenerationTestKit.Generator(chat).GenerateAsync([Single(0, ContractA)], CancellationToken.None);
        Assert.Single(result.Items);

        var adaptation = SentSchema(chat, "adapted_instruction");
        Assert.Equal(["reason", "fits", "instruction"], PropertyOrder(adaptation));
        Assert.Equal(["reason", "fits", "instruction"], adaptation.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("boolean", adaptation.GetProperty("properties").GetProperty("fits").GetProperty("type").GetString());

        var response = SentSchema(chat, "grounded_response");
        Assert.Equal(["citations", "answer"], PropertyOrder(response));
        var citation = response.GetProperty("properties").GetProperty("citations").GetProperty("items");
        Assert.Equal(["document", "section", "quote"], PropertyOrder(citation));
        Assert.False(citation.GetProperty("additionalProperties").GetBoolean());

        var judge = SentSchema(chat, "quality_verdict");
        Assert.Equal(["reason", "intent_preserved", "answerable", "document_dependent", "score"], PropertyOrder(judge));
        Assert.Equal(PropertyOrder(judge), judge.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Changed_prompts_carry_a_new_version_and_the_library_lists_all_six()
    {
        Assert.Equal(
            ["document-classification@1", "instruction-adaptation@2", "instruction-writing@3", "metainfo-extraction@1", "quality-judge@2", "response-generation@2"],
            PromptLibrary.Default.Ids.Select(id => id.StartsWith("metainfo-extraction@", StringComparison.Ordinal) ? "metainfo-extraction@1" : id));
        Assert.Equal(6, PromptLibrary.Default.Ids.Count);
    }

    [Fact]
    public async Task The_adaptation_prompt_forbids_hints_and_states_the_document_label_convention_for_multi_document_tasks()
    {
        var chat = GenerationTestKit.Model();
        var comparison = GenerationTestKit.Instruction("legal_contract", 5, TaskKind.Comparison, "Compare the termination rights in these contracts.");
        await GenerationTestKit.Generator(chat).GenerateAsync(
            [new LoadedPair(GenerationTestKit.Plan(comparison, ContractA, ContractB), [ContractA, ContractB]), Single(1, ContractA)], CancellationToken.None);

        var adaptations = chat.Requests.Where(r => GenerationTestKit.SchemaName(r.Options) == "adapted_instruction").ToList();
        var multi = adaptations.Single(r => r.Messages[0].Text.StartsWith("Document 1:", StringComparison.Ordinal)).Messages[1].Text;
        var single = adaptations.Single(r => !r.Messages[0].Text.StartsWith("Document 1:", StringComparison.Ordinal)).Messages[1].Text;
        Assert.Contains("\"Document 1\", \"Document 2\"", multi, StringComparison.Ordinal);
        Assert.Contains("name every one of them", multi, StringComparison.Ordinal);
        Assert.Contains("Never hint at the answer", multi, StringComparison.Ordinal);
        Assert.Contains("Never hint at the answer", single, StringComparison.Ordinal);
        Assert.DoesNotContain("Document 2", single, StringComparison.Ordinal);
        Assert.Contains("Do not change the task to make it fit", single, StringComparison.Ordinal);
    }

    [Fact]
    public void The_adapter_accepts_every_document_named_or_all_together_and_rejects_a_partial_naming()
    {
        Assert.True(InstructionAdapter.NamesAllDocuments("Compare Document 1, Document 2 and Document 3.", 3, "contracts"));
        Assert.True(InstructionAdapter.NamesAllDocuments("Compare the notice periods across these documents.", 3, "contracts"));
        Assert.True(InstructionAdapter.NamesAllDocuments("Compare the notice periods in these contracts.", 3, "contracts"));
        Assert.False(InstructionAdapter.NamesAllDocuments("Compare Document 1 with Document 2.", 3, "contracts"));
    }

    [Fact]
    public async Task A_misfit_is_re_paired_with_another_document_of_the_type_instead_of_changing_the_task()
    {
        // The adapter refuses ContractA; the pair moves to another document of the type and is adapted there.
        var chat = ScriptedChatClient.FromText((messages, options) =>
            GenerationTestKit.SchemaName(options) == "adapted_instruction" && messages[0].Text.Contains(ContractA.Title, StringComparison.Ordinal)
                ? """{"reason": "The contract has no termination clause.", "fits": false, "instruction": ""}"""
                : GenerationTestKit.Answer(messages, options));
        var catalog = new[] { ContractA, ContractB, Report }.Select(d => GenerationTestKit.Indexed(d, "legal_contract")).ToList();
        var source = new InMemoryPairDocumentSource(catalog, [ContractA, ContractB, Report]);

        var result = await GenerationTestKit.Generator(chat).GenerateAsync([Single(0, ContractA)], source, CancellationToken.None);

        Assert.Empty(result.Quarantined);
        var record = Assert.Single(result.Items);
        Assert.Equal(1, record.Meta.Refits);
        Assert.NotEqual(ContractA.Id, Assert.Single(record.Meta.DocumentIds));
        Assert.Equal("legal_contract#0@" + record.Meta.DocumentIds[0], record.Meta.Id);
        Assert.Equal("Summarize the termination rights in the document.", record.Meta.AgnosticInstruction);
        Assert.EndsWith("Summarize the termination rights in the document.", record.Meta.Instruction, StringComparison.Ordinal);
        Assert.DoesNotContain(ContractA.Title, record.Messages[0].Content, StringComparison.Ordinal);
        Assert.Equal(2, chat.Requests.Count(r => GenerationTestKit.SchemaName(r.Options) == "adapted_instruction"));
    }

    [Fact]
    public async Task Re_pairing_is_bounded_and_a_misfit_without_a_source_is_quarantined_with_the_reason()
    {
        var chat = ScriptedChatClient.FromText((messages, options) => GenerationTestKit.SchemaName(options) == "adapted_instruction"
            ? """{"reason": "No contract here has a termination clause.", "fits": false, "instruction": ""}"""
            : GenerationTestKit.Answer(messages, options));
        var catalog = new[] { ContractA, ContractB, Report }.Select(d => GenerationTestKit.Indexed(d, "legal_contract")).ToList();
        var source = new InMemoryPairDocumentSource(catalog, [ContractA, ContractB, Report]);

        var bounded = await GenerationTestKit.Generator(chat, new GenerationOptions { MaxRefitAttempts = 1 })
            .GenerateAsync([Single(0, ContractA)], source, CancellationToken.None);
        var entry = Assert.Single(bounded.Quarantined);
        Assert.Equal(StageNames.InstructionAdaptation, entry.Stage);
        Assert.Equal("legal_contract#0@cuad-005", entry.ItemId);
        Assert.Contains("does not fit", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("1 re-pairing(s) tried", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("No contract here has a termination clause.", entry.Reason, StringComparison.Ordinal);
        Assert.Equal(2, chat.Requests.Count(r => GenerationTestKit.SchemaName(r.Options) == "adapted_instruction"));

        var exhausted = await GenerationTestKit.Generator(chat, new GenerationOptions { MaxRefitAttempts = 5 })
            .GenerateAsync([Single(0, ContractA)], source, CancellationToken.None);
        Assert.Contains("no other document of the type", Assert.Single(exhausted.Quarantined).Reason, StringComparison.Ordinal);

        var noSource = await GenerationTestKit.Generator(chat).GenerateAsync([Single(0, ContractA)], CancellationToken.None);
        Assert.Contains("no document source", Assert.Single(noSource.Quarantined).Reason, StringComparison.Ordinal);
        Assert.Empty(noSource.Items);

        // No response or judge call was spent on a misfit.
        Assert.All(chat.Requests, r => Assert.Equal("adapted_instruction", GenerationTestKit.SchemaName(r.Options)));
    }

    [Fact]
    public void Re_pairing_picks_untried_documents_deterministically_and_keeps_multi_document_sets_within_budget()
    {
        var options = new GenerationOptions();
        var catalog = GenerationTestKit.Documents.Take(12).Select(d => GenerationTestKit.Indexed(d, "legal_contract", d.Text.Length > 25_000 ? "long" : "short")).ToList();
        var plan = new PlannedPair(GenerationTestKit.Instruction("legal_contract", 3), TaskKind.SingleDocument, [catalog.Single(d => d.Id == ContractA.Id)], null, false);
        var tried = new HashSet<string>([ContractA.Id], StringComparer.Ordinal);

        var first = DocumentRefit.Choose(plan, catalog, tried, 1, options)!;
        Assert.Equal(first.Id, DocumentRefit.Choose(plan, [.. Enumerable.Reverse(catalog)], tried, 1, options)!.Id);
        var picked = Assert.Single(first.Documents);
        Assert.NotEqual(ContractA.Id, picked.Id);
        Assert.Equal(catalog.Single(d => d.Id == ContractA.Id).LengthBucket, picked.LengthBucket);
        Assert.Null(DocumentRefit.Choose(plan, catalog, catalog.Select(d => d.Id).ToHashSet(StringComparer.Ordinal), 1, options));

        var comparison = GenerationTestKit.Plan(GenerationTestKit.Instruction("legal_contract", 4, TaskKind.Comparison), ContractA, ContractB);
        var budget = new GenerationOptions { MaxMultiDocumentContextTokens = 30_000 };
        var set = DocumentRefit.Choose(comparison, catalog, new HashSet<string>([ContractA.Id, ContractB.Id], StringComparer.Ordinal), 1, budget)!;
        Assert.Equal(2, set.Documents.Count);
        Assert.True(set.Documents.Sum(d => d.Tokens) <= 30_000);
        Assert.Contains(set.Documents, d => d.Id != ContractA.Id && d.Id != ContractB.Id);
        Assert.Equal(set.Documents.Select(d => d.Id).Order(StringComparer.Ordinal), set.Documents.Select(d => d.Id));
    }

    [Fact]
    public async Task Citations_are_kept_in_the_meta_and_their_markers_stripped_from_the_training_text_by_default()
    {
        var chat = GenerationTestKit.Model();
        var result = await GenerationTestKit.Generator(chat).GenerateAsync([Single(0, ContractA)], CancellationToken.None);

        var record = Assert.Single(result.Items);
        var citation = Assert.Single(record.Meta.Citations!);
        Assert.Equal(1, citation.Document);
        Assert.True(citation.Verified);
        Assert.Contains(citation.Quote, SpaceNormalized(ContractA.Text), StringComparison.Ordinal);
        Assert.Equal("Answer: " + record.Meta.Instruction, record.Messages[1].Content);
        Assert.DoesNotContain("[1]", record.Messages[1].Content, StringComparison.Ordinal);
        Assert.Equal(TokenCounter.Shared.Count(record.Messages[1].Content), record.Meta.ResponseTokens);

        var line = TrainingRecordJsonl.Serialize(record);
        Assert.Contains("\"citations\":[{\"document\":1,\"quote\":", line, StringComparison.Ordinal);
        Assert.Contains("\"refits\":0", line, StringComparison.Ordinal);

        var kept = await GenerationTestKit.Generator(GenerationTestKit.Model(), new GenerationOptions { StripCitationMarkers = false })
            .GenerateAsync([Single(0, ContractA)], CancellationToken.None);
        var text = Assert.Single(kept.Items).Messages[1].Content;
        Assert.Contains("[1]", text, StringComparison.Ordinal);
        Assert.Contains("\n\nSources:\n[1] \"" + citation.Quote + "\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_quote_that_is_not_in_the_document_is_sent_back_and_a_verbatim_one_accepted()
    {
        var attempts = 0;
        var chat = ScriptedChatClient.FromText((messages, options) =>
        {
            if (GenerationTestKit.SchemaName(options) == "grounded_response" && Interlocked.Increment(ref attempts) == 1)
            {
                return """{"citations": [{"document": 1, "section": null, "quote": "The tenant may terminate at will."}, {"document": 2, "section": null, "quote": "x"}], "answer": "It can [1]."}""";
            }

            return GenerationTestKit.Answer(messages, options);
        });

        var result = await GenerationTestKit.Generator(chat).GenerateAsync([Single(0, ContractA)], CancellationToken.None);

        Assert.Single(result.Items);
        var retry = chat.Requests.Where(r => GenerationTestKit.SchemaName(r.Options) == "grounded_response").Last().Messages[^1].Text;
        Assert.Contains("the quote of citation 1 is not in document 1 word for word", retry, StringComparison.Ordinal);
        Assert.Contains("citation 2 names document 2, but there is 1 document", retry, StringComparison.Ordinal);
    }

    [Fact]
    public void Citation_markers_are_stripped_outside_code_and_only_when_they_point_at_a_citation()
    {
        const string answer = "The lease ends on notice [1]. Both parties agree [1, 2]; see also reference [12] of the paper.\n```python\nx = items[1]\n```\nUse `a[2]` here.";
        var stripped = CitationMarkers.Strip(answer, 2);
        Assert.Equal("The lease ends on notice. Both parties agree; see also reference [12] of the paper.\n```python\nx = items[1]\n```\nUse `a[2]` here.", stripped);
        Assert.Equal([1, 1, 2, 12], CitationMarkers.Numbers(answer));
        Assert.True(CitationMarkers.IsVerbatim("the  “Licensee” shall…pay", "Under this Agreement the \"Licensee\"\nshall promptly pay all fees."));
        Assert.False(CitationMarkers.IsVerbatim("pay…the Licensee", "the Licensee shall pay"));
    }

    [Fact]
    public async Task The_judge_sees_the_generic_and_the_adapted_request_with_the_cited_passages_and_rejects_a_changed_intent()
    {
        var chat = GenerationTestKit.Model(instruction => instruction.Contains("REWRITTEN", StringComparison.Ordinal)
            ? GenerationTestKit.Verdict(false, true, true, 5, "The adapted request asks for a summary, the generic one for a list of dates.")
            : null);
        var batch = new[] { Single(0, ContractA, "List every date in the document."), Single(1, ContractB, "REWRITTEN: list the parties in the document.") };

        var result = await GenerationTestKit.Generator(chat).GenerateAsync(batch, CancellationToken.None);

        var judged = chat.Requests.Where(r => GenerationTestKit.SchemaName(r.Options) == "quality_verdict").Select(r => r.Messages[^1].Text).ToList();
        Assert.Equal(2, judged.Count);
        var first = judged.Single(j => j.Contains("List every date", StringComparison.Ordinal));
        Assert.Contains("Generic request (written before seeing the document):\n<<<\nList every date in the document.\n>>>", first, StringComparison.Ordinal);
        Assert.Contains("Adapted request:\n<<<\nFor the document: List every date in the document.\n>>>", first, StringComparison.Ordinal);
        Assert.Contains("Passages the response cites:\n<<<\n[1] \"", first, StringComparison.Ordinal);
        Assert.Contains("[1]", first[first.IndexOf("Candidate response", StringComparison.Ordinal)..], StringComparison.Ordinal);
        var system = chat.Requests.First(r => GenerationTestKit.SchemaName(r.Options) == "quality_verdict").Messages[1].Text;
        Assert.Contains("1 = unusable", system, StringComparison.Ordinal);
        Assert.Contains("5 = excellent", system, StringComparison.Ordinal);

        var kept = Assert.Single(result.Items);
        Assert.True(kept.Meta.Judge.IntentPreserved);
        var rejected = Assert.Single(result.Quarantined);
        Assert.Equal(StageNames.QualityJudge, rejected.Stage);
        Assert.Contains("intent_preserved=False", rejected.Detail, StringComparison.Ordinal);
    }

    private static string SpaceNormalized(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
