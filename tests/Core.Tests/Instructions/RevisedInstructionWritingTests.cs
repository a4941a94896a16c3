using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Instructions;
using WildLong.Core.MetaInfo;
using WildLong.Core.Prompts;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Instructions;

/// <summary>
/// Pins the revised instruction-writing prompt: the task apart from a few optional attributes, the type's own noun
/// instead of "the document", and real request excerpts of the same task as style examples.
/// </summary>
public class RevisedInstructionWritingTests
{
    private static InstructionWriter Writer(IChatClient chat, GenerationOptions options)
        => new(TestLlm.Caller(chat, 2), PromptLibrary.Default, Options.Create(options), NullLogger<InstructionWriter>.Instance, DocumentTaxonomy.Default);

    private static InstructionPath Path(string type, long index, params (string Field, string Value)[] steps)
        => new(type, index, [.. steps.Select(s => new PathStep(s.Field, s.Value))]);

    [Fact]
    public async Task The_prompt_separates_the_task_from_optional_attributes_and_uses_the_types_noun()
    {
        var chat = ScriptedChatClient.FromText((_, _) => JsonSerializer.Serialize(new { instruction = "Can you pull every deadline out of my contract into a table?" }));
        var path = Path("legal_contract", 0, ("task_request", "extract deadlines"), ("output_format", "table"), ("user_profile", "paralegal"))
            with { Examples = ["what are the key dates in this lease? need them for my calendar", "list all deadlines from the agreement below"] };

        var result = await Writer(chat, new GenerationOptions { MultiDocumentShare = 0 }).WriteAsync([path], CancellationToken.None);

        Assert.Empty(result.Quarantined);
        Assert.Equal("Can you pull every deadline out of my contract into a table?", Assert.Single(result.Items).Text);
        var (messages, _) = Assert.Single(chat.Requests);
        var system = messages[0].Text;
        var user = messages[1].Text;
        Assert.Contains("call it \"the contract\"", system, StringComparison.Ordinal);
        Assert.Contains("not a checklist", system, StringComparison.Ordinal);
        Assert.DoesNotContain("Use every attribute", system, StringComparison.Ordinal);
        Assert.Contains("Task:\n- extract deadlines\n", user, StringComparison.Ordinal);
        Assert.Contains("Optional attributes (use a few that fit, skip the rest):\n- output format: table\n- user profile: paralegal\n", user, StringComparison.Ordinal);
        Assert.DoesNotContain("task request:", user, StringComparison.Ordinal);
        Assert.Contains("- \"what are the key dates in this lease? need them for my calendar\"\n- \"list all deadlines from the agreement below\"", user, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Multi_document_requests_use_the_plural_noun_and_types_without_a_noun_say_document()
    {
        var chat = ScriptedChatClient.FromText((messages, _) => JsonSerializer.Serialize(new
        {
            instruction = messages[0].Text.Contains("\"these speeches\"", StringComparison.Ordinal) ? "Which of these speeches is most optimistic?"
                : messages[0].Text.Contains("\"these documents\"", StringComparison.Ordinal) ? "Summarize these documents." : "Summarize it.",
        }));
        var options = new GenerationOptions { MultiDocumentShare = 1 };

        var result = await Writer(chat, options).WriteAsync(
            [Path("speech", 0, ("task_request", "compare tone")), Path("other", 1, ("task_request", "summarize"))], CancellationToken.None);

        Assert.Equal(2, result.Items.Count);
        Assert.Equal("Which of these speeches is most optimistic?", result.Items[0].Text);
        Assert.Contains("(none available)", chat.Requests.First().Messages[1].Text, StringComparison.Ordinal);
        Assert.Contains("Optional attributes (use a few that fit, skip the rest):\n(none)", chat.Requests.First().Messages[1].Text, StringComparison.Ordinal);

        var single = Writer(chat, new GenerationOptions());
        Assert.Contains("\"the speech\"", single.Check(new InstructionAnswer("Summarize these speeches."), TaskKind.SingleDocument, ("speech", "speeches")), StringComparison.Ordinal);
        Assert.Null(single.Check(new InstructionAnswer("Summarize the speech."), TaskKind.SingleDocument, ("speech", "speeches")));
    }

    [Fact]
    public void Every_built_in_type_has_a_noun()
    {
        Assert.All(DocumentTaxonomy.Default.Types, t => Assert.False(string.IsNullOrWhiteSpace(t.Noun), t.Name));
        Assert.Equal(("contract", "contracts"), DocumentTaxonomy.Default.NounFor("legal_contract"));
        Assert.Equal(("story", "stories"), DocumentTaxonomy.Default.NounFor("book_fiction"));
        Assert.Equal(("document", "documents"), DocumentTaxonomy.Default.NounFor("other"));
        Assert.Equal(("document", "documents"), DocumentTaxonomy.Default.NounFor("no_such_type"));
    }

    [Fact]
    public void Request_excerpts_keep_the_request_and_not_the_pasted_document()
    {
        var document = string.Join("\n\n", Enumerable.Range(0, 40).Select(i => $"Paragraph {i} of the pasted report says many long things about budgets and audits in detail."));
        Assert.Equal("Summarize the report below in five bullet points for my manager.",
            RequestExcerpt.From("Summarize the report below in five bullet points for my manager.\n\n" + document, 240));
        Assert.Equal("What are the three main risks named above?", RequestExcerpt.From(document + "\n\nWhat are the three main risks named above?", 240));
        Assert.Equal("fix this code", RequestExcerpt.From("fix   this\n code", 240));
        var cut = RequestExcerpt.From(string.Join(' ', Enumerable.Repeat("please rewrite", 200)), 100)!;
        Assert.True(cut.Length <= 100, cut);
        Assert.EndsWith("…", cut, StringComparison.Ordinal);
        Assert.Null(RequestExcerpt.From("  \n ", 100));
    }

    [Fact]
    public void The_example_index_is_bounded_order_independent_and_prefers_the_same_type()
    {
        var queries = TestQueries().Where(q => RequestExcerpt.From(q.Text, 200) is not null).ToList();
        var records = queries.Select((q, i) => new MetaInfoRecord(q.Id, i % 3 == 0 ? "scientific_paper" : "essay",
            new Dictionary<string, IReadOnlyList<string>> { ["task_request"] = [i % 2 == 0 ? "summarize" : "rewrite"], ["output_format"] = ["list"] })).ToList();
        var texts = queries.ToDictionary(q => q.Id, q => q.Text);

        var index = RequestExampleIndex.Build(records, id => texts.GetValueOrDefault(id), perTask: 2, maxChars: 200);
        var reversed = RequestExampleIndex.Build(Enumerable.Reverse(records), id => texts.GetValueOrDefault(id), perTask: 2, maxChars: 200);

        var path = new InstructionPath("scientific_paper", 0, [new PathStep("task_request", "summarize"), new PathStep("output_format", "list")]);
        var attached = index.Attach(path);
        Assert.Equal(2, attached.Examples!.Count);
        Assert.Equal(attached.Examples, reversed.Attach(path).Examples);
        Assert.All(attached.Examples, e => Assert.True(e.Length <= 200, e));
        Assert.Equal(path.Key, attached.Key);
        var sameType = records.Where(r => r.DocumentType == "scientific_paper" && r.Fields["task_request"][0] == "summarize")
            .Select(r => RequestExcerpt.From(texts[r.QueryId], 200)).ToHashSet();
        Assert.All(attached.Examples, e => Assert.Contains(e, sameType));

        // A task value seen only under another type still gets examples; an unknown one gets none (and the path is unchanged).
        Assert.Equal(2, index.Attach(path with { DocumentType = "patent" }).Examples!.Count);
        var unknown = path with { Steps = [new PathStep("task_request", "translate into klingon")] };
        Assert.Same(unknown, index.Attach(unknown));
        Assert.Null(RequestExampleIndex.Empty.Attach(path).Examples);
    }

    [Fact]
    public void Example_entries_from_shards_combine_to_the_index_of_all_records_in_any_order()
    {
        var queries = TestQueries().ToList();
        var texts = queries.ToDictionary(q => q.Id, q => q.Text);
        var records = queries.Select((q, i) => new MetaInfoRecord(q.Id, i % 2 == 0 ? "essay" : "email",
            new Dictionary<string, IReadOnlyList<string>> { ["task_request"] = [i % 3 == 0 ? "summarize" : "rewrite"] })).ToList();

        var whole = RequestExampleIndex.Build(records, id => texts.GetValueOrDefault(id));
        var shardA = RequestExampleIndex.Build(records.Where((_, i) => i % 2 == 0), id => texts.GetValueOrDefault(id));
        var shardB = RequestExampleIndex.Build(records.Where((_, i) => i % 2 == 1), id => texts.GetValueOrDefault(id));
        var combined = RequestExampleIndex.FromEntries(shardB.Entries.Concat(shardA.Entries));

        Assert.Equal(whole.Entries, combined.Entries);
        Assert.True(whole.Entries.Count <= 2 * 2 * 2, "at most two excerpts per (type, task)");
        var json = JsonSerializer.Serialize(whole.Entries);
        Assert.True(json.Length < 4_000, $"the stored index stays small ({json.Length} characters)");
    }

    [Fact]
    public async Task Users_details_reach_the_writer_beside_their_values()
    {
        var chat = ScriptedChatClient.FromText((_, _) => JsonSerializer.Serialize(new { instruction = "Please tighten the wording of the abstract of my paper; I am a grad student." }));
        var path = Path("scientific_paper", 0, ("task_request", "grammar correction"), ("domain", "science"), ("user_profile", "graduate student"))
            with { Details = [new StepDetail("task_request", "grammar correction", "edit the language of my abstract"), new StepDetail("domain", "science", "traditional medicine quality control")] };

        await Writer(chat, new GenerationOptions { MultiDocumentShare = 0 }).WriteAsync([path], CancellationToken.None);

        var (messages, _) = Assert.Single(chat.Requests);
        Assert.Contains("do not copy names, numbers or facts", messages[0].Text, StringComparison.Ordinal);
        var user = messages[1].Text;
        Assert.Contains("Task:\n- grammar correction (a user's words: \"edit the language of my abstract\")\n", user, StringComparison.Ordinal);
        Assert.Contains("- domain: science (a user's words: \"traditional medicine quality control\")\n- user profile: graduate student\n", user, StringComparison.Ordinal);
    }

    [Fact]
    public void Details_are_bounded_split_when_merged_prefer_the_same_type_and_vary_across_paths()
    {
        static MetaInfoRecord Record(string id, string type, string domain, string detail) => new(id, type,
            new Dictionary<string, IReadOnlyList<string>> { ["task_request"] = ["summarize"], ["domain"] = [domain] })
        {
            Details = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["domain"] = new Dictionary<string, string> { [domain] = detail } },
        };
        var records = Enumerable.Range(0, 12).Select(i => Record($"q{i}", "essay", "history", $"the history of port {i}"))
            .Append(Record("p1", "patent", "history", "patent law history"))
            .Append(Record("m1", "essay", "medicine", "herbal remedies; quality control of herbs"))
            .ToList();

        var index = RequestExampleIndex.Build(records, _ => null);

        // At most DetailsPerValue per (type, value), whatever the order of the records.
        var essayHistory = index.Entries.Where(e => e.Kind == RequestExampleKind.Detail && e.DocumentType == "essay" && e.Value == "history").ToList();
        Assert.Equal(RequestExampleIndex.DefaultDetailsPerValue, essayHistory.Count);
        Assert.Equal(index.Entries, RequestExampleIndex.Build(Enumerable.Reverse(records), _ => null).Entries);
        // Details joined by a merge are one user's phrases each.
        Assert.Equal(["herbal remedies", "quality control of herbs"], index.Entries.Where(e => e.Value == "medicine").Select(e => e.Text).Order(StringComparer.Ordinal));

        // A path gets one detail per step that has one, from its own type first; other types fill in.
        var essay = new InstructionPath("essay", 0, [new PathStep("task_request", "summarize"), new PathStep("domain", "history")]);
        var detail = Assert.Single(index.Attach(essay).Details!);
        Assert.Contains(detail.Detail, essayHistory.Select(e => e.Text));
        Assert.Equal("patent law history", Assert.Single(index.Attach(essay with { DocumentType = "patent" }).Details!).Detail);
        Assert.Contains(Assert.Single(index.Attach(essay with { DocumentType = "email" }).Details!).Detail, records.Where(r => r.Fields["domain"][0] == "history").Select(r => r.Details!["domain"]["history"]));
        Assert.Equal(essay.Key, index.Attach(essay).Key);

        // A long path shows a few users' words, its task's first.
        var longPath = new InstructionPath("essay", 0, [new PathStep("task_request", "summarize"), new PathStep("domain", "history"), new PathStep("domain", "medicine"),
            new PathStep("knowledge_required", "a"), new PathStep("knowledge_required", "b"), new PathStep("knowledge_required", "c")]);
        var wide = RequestExampleIndex.FromEntries(
            longPath.Steps.Select(s => new RequestExample(RequestExampleKind.Detail, "essay", s.Field, s.Value, "q", "words for " + s.Value)));
        var shownForLong = wide.Attach(longPath).Details!;
        Assert.Equal(RequestExampleIndex.MaxDetailsPerPath, shownForLong.Count);
        Assert.Equal("task_request", shownForLong[0].Field);

        // Different paths through the value show different users' words.
        var shown = Enumerable.Range(0, 30).Select(i => index.Attach(essay with { Index = i }).Details![0].Detail).ToHashSet();
        Assert.True(shown.Count > 1, "every path showed the same user's words");
    }

    [Fact]
    public void Details_mapped_after_extraction_equal_details_of_merged_records()
    {
        // The durable run extracts entries per slice before values are merged and maps them at snapshot time; the
        // in-process run builds from merged records. Both must give the writer the same words.
        var records = new[]
        {
            new MetaInfoRecord("a", "essay", new Dictionary<string, IReadOnlyList<string>> { ["domain"] = ["medicine", "herbalism"] })
            {
                Details = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["domain"] = new Dictionary<string, string> { ["medicine"] = "drug trials", ["herbalism"] = "herbal remedies" } },
            },
            new MetaInfoRecord("b", "essay", new Dictionary<string, IReadOnlyList<string>> { ["domain"] = ["herbalism"] })
            {
                Details = new Dictionary<string, IReadOnlyDictionary<string, string>> { ["domain"] = new Dictionary<string, string> { ["herbalism"] = "tea blends" } },
            },
        };
        var merges = new ValueMergeMap(new Dictionary<string, IReadOnlyDictionary<string, string>> { ["domain"] = new Dictionary<string, string> { ["herbalism"] = "medicine" } });

        var inProcess = RequestExampleIndex.Build(records.Select(merges.Apply), _ => null);
        var durable = RequestExampleIndex.FromEntries(RequestExampleIndex.Extract(records, _ => null)
            .Select(e => e with { Value = merges.Canonical(e.Field, e.Value) }).Distinct());

        Assert.Equal(inProcess.Entries, durable.Entries);
        Assert.Equal(["drug trials", "herbal remedies", "tea blends"], durable.Entries.Select(e => e.Text).Order(StringComparer.Ordinal));
        // Entries written by an older version (no field, value or text) are skipped, not fatal.
        var old = JsonSerializer.Deserialize<RequestExample>("{\"documentType\":\"essay\",\"task\":\"summarize\",\"queryId\":\"q\",\"excerpt\":\"summarize this\"}", JsonSerializerOptions.Web)!;
        Assert.Equal(0, RequestExampleIndex.FromEntries([old]).Count);
    }

    /// <summary>Real WildChat / Arena queries of the test sample.</summary>
    private static IEnumerable<(string Id, string Text)> TestQueries()
    {
        foreach (var line in File.ReadLines(TestData.QueriesJsonl).Take(60))
        {
            using var json = JsonDocument.Parse(line);
            yield return (json.RootElement.GetProperty("id").GetString()!, json.RootElement.GetProperty("text").GetString()!);
        }
    }
}
