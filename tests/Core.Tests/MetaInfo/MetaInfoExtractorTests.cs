using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.MetaInfo;
using WildLong.Core.Prompts;
using WildLong.Core.Queries;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.MetaInfo;

public class MetaInfoExtractorTests
{
    private static readonly UserQuery PastedArticle = new(
        "q-article",
        "Summarize the following article in three bullet points for my manager.\n\n" + string.Concat(Enumerable.Repeat("The city council approved the new budget after a long debate about transport funding. ", 30)),
        "test");

    private static MetaInfoExtractor Extractor(
        IChatClient chat,
        MetaInfoExtractionOptions? options = null,
        MetaInfoSchema? schema = null,
        int attempts = 3)
        => new(
            TestLlm.Caller(chat, attempts),
            schema ?? MetaInfoSchema.Default,
            DocumentTaxonomy.Default,
            LongContextPreFilter.Default,
            PromptLibrary.Default,
            Options.Create(options ?? new MetaInfoExtractionOptions()),
            NullLogger<MetaInfoExtractor>.Instance);

    /// <summary>A model stand-in that answers from the query it is shown: task = the query's first words.</summary>
    private static ScriptedChatClient EchoingModel()
        => ScriptedChatClient.FromText((messages, _) =>
        {
            var query = ScriptedMetaInfo.QueryOf(messages);
            var refers = query.Length >= 600 || query.Contains("following", StringComparison.OrdinalIgnoreCase);
            return ScriptedMetaInfo.Answer(refers, "other", [ScriptedMetaInfo.FirstWords(query)]);
        });

    [Fact]
    public async Task Real_sample_queries_are_extracted_filtered_or_quarantined_each_exactly_once()
    {
        var queries = SampleQueries.Load();
        var chat = EchoingModel();
        var options = new MetaInfoExtractionOptions();

        var result = await Extractor(chat, options).ExtractAsync(queries, CancellationToken.None);

        var ids = result.Extracted.Select(e => e.QueryId).Concat(result.Filtered.Select(f => f.QueryId)).Concat(result.Quarantined.Select(q => q.ItemId!));
        Assert.Equal(queries.Select(q => q.Id).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        Assert.Empty(result.Quarantined);

        // Only queries passing the pre-filter reach the model; the others are filtered with its reason.
        var preFiltered = queries.Where(q => !LongContextPreFilter.Default.Evaluate(q).Keep).Select(q => q.Id).ToHashSet();
        Assert.Equal(queries.Count - preFiltered.Count, chat.Requests.Count);
        Assert.Equal(preFiltered.Order(), result.Filtered.Where(f => f.FilteredBy == FilteredQuery.ByPreFilter).Select(f => f.QueryId).Order());
        Assert.Contains(result.Filtered, f => f.QueryId == "wc-ms-00194" && f.FilteredBy == FilteredQuery.ByPreFilter);
        Assert.Contains(result.Filtered, f => f.FilteredBy == FilteredQuery.ByModel);

        // Each record carries the values drawn from its own query, even though calls run in parallel.
        var byId = queries.ToDictionary(q => q.Id);
        Assert.NotEmpty(result.Extracted);
        Assert.All(result.Extracted, e =>
        {
            Assert.Equal([ScriptedMetaInfo.FirstWords(byId[e.QueryId].Text.Trim())], e.Fields["task_request"]);
            Assert.Equal("other", e.DocumentType);
            Assert.Equal(["false"], e.Fields["multi_document_need"]);
            Assert.False(e.Fields.ContainsKey("domain"));            // null answers are absent
            Assert.False(e.Fields.ContainsKey("constraints"));       // empty lists are absent
            Assert.Equal("metainfo-extraction@2", e.PromptId);
            Assert.Equal(MetaInfoSchema.Default.Fingerprint, e.SchemaFingerprint);
        });

        // Output order follows input order.
        var inputOrder = queries.Select((q, i) => (q.Id, i)).ToDictionary(x => x.Id, x => x.i);
        Assert.Equal(result.Extracted.Select(e => inputOrder[e.QueryId]).Order(), result.Extracted.Select(e => inputOrder[e.QueryId]));

        // Every request is a strict structured call with the stage's tight output cap.
        Assert.All(chat.Requests, r =>
        {
            Assert.Equal(options.MaxOutputTokens, r.Options!.MaxOutputTokens);
            var format = Assert.IsType<ChatResponseFormatJson>(r.Options.ResponseFormat);
            Assert.NotNull(format.Schema);
        });
    }

    [Fact]
    public async Task Very_long_queries_are_cut_to_head_and_tail_for_the_prompt()
    {
        var longest = SampleQueries.Load().MaxBy(q => q.Text.Length)!;
        var options = new MetaInfoExtractionOptions { MaxQueryTokens = 1_000, HeadTokens = 600, TailTokens = 300 };
        var chat = EchoingModel();

        var result = await Extractor(chat, options).ExtractAsync([longest], CancellationToken.None);

        var record = Assert.Single(result.Extracted);
        Assert.True(record.QueryWasCut);
        var shown = ScriptedMetaInfo.QueryOf(Assert.Single(chat.Requests).Messages);
        Assert.Contains("tokens of the request omitted here", shown, StringComparison.Ordinal);
        Assert.InRange(TokenCounter.Shared.Count(shown), 850, 950);
        var text = longest.Text.Trim();
        Assert.StartsWith(text[..200], shown, StringComparison.Ordinal);
        Assert.EndsWith(text[^200..], shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seeds_are_stable_per_query_and_differ_between_queries()
    {
        var queries = SampleQueries.Load().Where(q => q.Text.Length > 2_000).Take(5).ToList();
        var first = EchoingModel();
        var second = EchoingModel();

        await Extractor(first).ExtractAsync(queries, CancellationToken.None);
        await Extractor(second).ExtractAsync([.. queries.AsEnumerable().Reverse()], CancellationToken.None);

        static Dictionary<string, long?> Seeds(ScriptedChatClient chat)
            => chat.Requests.ToDictionary(r => ScriptedMetaInfo.QueryOf(r.Messages), r => r.Options!.Seed);
        var seeds = Seeds(first);
        Assert.Equal(seeds.OrderBy(kv => kv.Key, StringComparer.Ordinal), Seeds(second).OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(queries.Count, seeds.Values.Distinct().Count());
    }

    [Fact]
    public async Task Model_verdict_false_filters_the_query_with_a_reason()
    {
        var chat = ScriptedChatClient.Sequence(ScriptedMetaInfo.Answer(refers: false, "other", []));

        var result = await Extractor(chat).ExtractAsync([PastedArticle], CancellationToken.None);

        var filtered = Assert.Single(result.Filtered);
        Assert.Equal(FilteredQuery.ByModel, filtered.FilteredBy);
        Assert.Contains("no document", filtered.Reason, StringComparison.Ordinal);
        Assert.Empty(result.Extracted);
        Assert.Empty(result.Quarantined);
    }

    [Fact]
    public async Task Too_many_list_items_are_cut_to_max_items_without_a_retry()
    {
        // task_request allows 3 items; the fourth (blank, which would be invalid) is cut, not checked or retried.
        var tooMany = ScriptedMetaInfo.Answer(true, "news_article", ["summarize", "shorten", "bullet", "  "], domain: "local politics");
        var chat = ScriptedChatClient.Sequence(tooMany);

        var result = await Extractor(chat).ExtractAsync([PastedArticle], CancellationToken.None);

        var record = Assert.Single(result.Extracted);
        Assert.Equal(1, record.Attempts);
        Assert.Single(chat.Requests);
        Assert.Empty(result.Quarantined);
        Assert.Equal(["summarize", "shorten", "bullet"], record.Fields["task_request"]);
        Assert.Equal(["local politics"], record.Fields["domain"]);
    }

    [Fact]
    public async Task A_bad_item_within_max_items_is_still_sent_back()
    {
        var blankInside = ScriptedMetaInfo.Answer(true, "news_article", ["summarize", " ", "bullet", "explain"]);
        var valid = ScriptedMetaInfo.Answer(true, "news_article", ["summarize the article"]);
        var chat = ScriptedChatClient.Sequence(blankInside, valid);

        var result = await Extractor(chat).ExtractAsync([PastedArticle], CancellationToken.None);

        Assert.Equal(2, Assert.Single(result.Extracted).Attempts);
        Assert.Contains("field 'task_request[1].value' is an empty string", chat.Requests.Last().Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_that_stays_invalid_is_quarantined_after_max_attempts_with_the_reason()
    {
        var blank = ScriptedMetaInfo.Answer(true, "news_article", ["  "]);
        var chat = ScriptedChatClient.FromText((_, _) => blank);

        var result = await Extractor(chat, attempts: 3).ExtractAsync([PastedArticle], CancellationToken.None);

        var entry = Assert.Single(result.Quarantined);
        Assert.Equal(StageNames.MetaInfoExtraction, entry.Stage);
        Assert.Equal(PastedArticle.Id, entry.ItemId);
        Assert.Contains("after 3 attempts", entry.Reason, StringComparison.Ordinal);
        Assert.Contains("field 'task_request[0].value' is an empty string", entry.Reason, StringComparison.Ordinal);
        Assert.Equal(blank, entry.Detail);
        Assert.Equal(3, chat.Requests.Count);
        Assert.Empty(result.Extracted);
    }

    [Fact]
    public async Task Schema_violations_such_as_an_unknown_document_type_are_retried()
    {
        var wrongType = ScriptedMetaInfo.Answer(true, "recipe", ["summarize"]);
        var chat = ScriptedChatClient.Sequence(wrongType, ScriptedMetaInfo.Answer(true, "essay", ["summarize"]));

        var result = await Extractor(chat).ExtractAsync([PastedArticle], CancellationToken.None);

        Assert.Equal("essay", Assert.Single(result.Extracted).DocumentType);
        Assert.Contains("document_type", chat.Requests.Last().Messages[^1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_output_is_retried_and_quarantined_when_it_keeps_happening()
    {
        var valid = ScriptedMetaInfo.Answer(true, "news_article", ["summarize"]);
        var calls = 0;
        var recovering = new ScriptedChatClient((messages, _) => Interlocked.Increment(ref calls) == 1
            ? ScriptedChatClient.Reply(valid[..40], messages, ChatFinishReason.Length)
            : ScriptedChatClient.Reply(valid, messages));
        var alwaysCut = new ScriptedChatClient((messages, _) => ScriptedChatClient.Reply(valid[..40], messages, ChatFinishReason.Length));

        var recovered = await Extractor(recovering).ExtractAsync([PastedArticle], CancellationToken.None);
        var failed = await Extractor(alwaysCut, attempts: 2).ExtractAsync([PastedArticle], CancellationToken.None);

        Assert.Equal(2, Assert.Single(recovered.Extracted).Attempts);
        Assert.Contains("finish_reason=length", recovering.Requests.Last().Messages[^1].Text, StringComparison.Ordinal);
        var entry = Assert.Single(failed.Quarantined);
        Assert.Contains("finish_reason=length", entry.Reason, StringComparison.Ordinal);
        Assert.Equal(2, alwaysCut.Requests.Count);
    }

    [Fact]
    public async Task A_failing_call_quarantines_only_its_query()
    {
        var other = PastedArticle with { Id = "q-other" };
        var chat = new ScriptedChatClient((messages, _) => ScriptedMetaInfo.QueryOf(messages).Contains("BOOM", StringComparison.Ordinal)
            ? throw new HttpRequestException("503 Service Unavailable")
            : ScriptedChatClient.Reply(ScriptedMetaInfo.Answer(true, "news_article", ["summarize"]), messages));
        var broken = PastedArticle with { Id = "q-broken", Text = "BOOM " + PastedArticle.Text };

        var result = await Extractor(chat).ExtractAsync([PastedArticle, broken, other], CancellationToken.None);

        Assert.Equal(["q-article", "q-other"], result.Extracted.Select(e => e.QueryId));
        var entry = Assert.Single(result.Quarantined);
        Assert.Equal("q-broken", entry.ItemId);
        Assert.Contains("503", entry.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_queries_are_quarantined_and_trivial_ones_filtered_without_a_model_call()
    {
        var chat = ScriptedChatClient.Sequence();

        var result = await Extractor(chat).ExtractAsync(
            [new UserQuery("q-empty", "   ", "test", Origin: "queries.jsonl:7"), new UserQuery("q-hi", "hi", "test")],
            CancellationToken.None);

        var entry = Assert.Single(result.Quarantined);
        Assert.Equal("q-empty", entry.ItemId);
        Assert.Equal("the query text is empty", entry.Reason);
        Assert.Equal("queries.jsonl:7", entry.Detail);
        Assert.Equal("q-hi", Assert.Single(result.Filtered).QueryId);
        Assert.Empty(chat.Requests);
    }

    [Fact]
    public async Task A_custom_schema_drives_the_request_and_the_record()
    {
        var schema = MetaInfoSchema.ParseYaml("""
            document_type_field: doc_kind
            fields:
              - { name: doc_kind, kind: string, required: true, description: The kind of document. }
              - { name: audience, kind: enum, values: [expert, layperson], description: Who the answer is for. }
            """, "custom.yaml");
        var chat = ScriptedChatClient.Sequence("""{"refers_to_document": true, "doc_kind": "legal_contract", "audience": "layperson"}""");

        var result = await Extractor(chat, schema: schema).ExtractAsync([PastedArticle], CancellationToken.None);

        var record = Assert.Single(result.Extracted);
        Assert.Equal("legal_contract", record.DocumentType);
        Assert.Equal(["layperson"], record.Fields["audience"]);
        var user = chat.Requests.Single().Messages.Single(m => m.Role == ChatRole.User).Text;
        Assert.Contains("- audience (one of: expert, layperson): Who the answer is for.", user, StringComparison.Ordinal);
        Assert.DoesNotContain("task_request", user, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_propagates()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Extractor(EchoingModel()).ExtractAsync([PastedArticle], cts.Token));
    }

    [Fact]
    public async Task The_result_survives_a_json_round_trip_as_a_durable_activity_would_send_it()
    {
        var chat = ScriptedChatClient.Sequence(ScriptedMetaInfo.Answer(true, "news_article", ["summarize the article"], constraints: ["three bullet points"]));
        var result = await Extractor(chat).ExtractAsync(
            [PastedArticle, new UserQuery("q-hi", "hi", "test"), new UserQuery("q-empty", "", "test")], CancellationToken.None);

        var json = JsonSerializer.Serialize(result, WildLongJson.Options);
        var copy = JsonSerializer.Deserialize<MetaInfoExtractionResult>(json, WildLongJson.Options)!;

        var record = Assert.Single(copy.Extracted);
        Assert.Equal(["three bullet points"], record.Fields["constraints"]);
        Assert.Equal(result.Extracted[0] with { Fields = record.Fields, Details = record.Details }, record);
        Assert.Equal(result.Extracted[0].Details!["constraints"], record.Details!["constraints"]);
        Assert.Equal(result.Filtered, copy.Filtered);
        Assert.Equal(result.Quarantined, copy.Quarantined);
        Assert.Contains("\"query_was_cut\":false", json, StringComparison.Ordinal);
    }
}
