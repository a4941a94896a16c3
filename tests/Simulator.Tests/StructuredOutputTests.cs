using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Model;
using WildLong.Simulator.Tests.Support;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace WildLong.Simulator.Tests;

/// <summary>Strict structured output: valid for the schema, deterministic, and made of the request's own text.</summary>
public sealed class StructuredOutputTests
{
    private static readonly string[] DocumentTypes = ["contract", "research_paper", "meeting_transcript", "novel", "other"];

    internal static readonly JsonElement Schema = JsonDocument.Parse("""
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["document_type", "task_request", "constraints", "multi_document_need", "user_profile", "details"],
          "properties": {
            "document_type": { "type": "string", "enum": ["contract", "research_paper", "meeting_transcript", "novel", "other"] },
            "task_request": { "type": "string" },
            "constraints": { "type": "array", "items": { "type": "string" }, "maxItems": 3 },
            "multi_document_need": { "type": "boolean" },
            "user_profile": { "type": ["string", "null"] },
            "details": {
              "type": "object",
              "additionalProperties": false,
              "required": ["score", "weight", "tags"],
              "properties": {
                "score": { "type": "integer", "minimum": 1, "maximum": 5 },
                "weight": { "type": "number", "minimum": 0, "maximum": 1 },
                "tags": {
                  "type": "array", "minItems": 2,
                  "items": {
                    "type": "object", "additionalProperties": false, "required": ["name", "kind"],
                    "properties": {
                      "name": { "type": "string" },
                      "kind": { "anyOf": [ { "type": "string", "enum": ["person", "place"] }, { "type": "null" } ] }
                    }
                  }
                }
              }
            }
          }
        }
        """).RootElement;

    private const string Query =
        "I am a paralegal reviewing a commercial lease agreement for our client. Please list the termination clauses and explain "
        + "the notice period the tenant must give. Keep the answer under three hundred words. Quote the relevant sections verbatim.";

    [Fact]
    public async Task Answer_validates_against_the_schema_through_the_real_client_and_LlmCaller()
    {
        await using var server = await Sim.StartAsync();
        var caller = Caller(Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient());

        var result = await caller.CompleteJsonAsync("metainfo", [new ChatMessage(ChatRole.User, Query)], Schema, "metainfo", 400, 42, null, CancellationToken.None);

        Assert.True(result.Success, result.FailureReason);
        Assert.Equal(1, result.Attempts);
        Assert.Empty(JsonSchemaInstanceValidator.Validate(Schema, result.Value));
        Assert.Contains(result.Value.GetProperty("document_type").GetString(), DocumentTypes);
        Assert.InRange(result.Value.GetProperty("details").GetProperty("tags").GetArrayLength(), 2, int.MaxValue);
    }

    [Fact]
    public async Task Same_request_and_seed_give_the_same_answer_and_another_seed_may_differ_but_stays_valid()
    {
        await using var server = await Sim.StartAsync();
        await using var other = await Sim.StartAsync();
        var chat = Sim.Azure(server).GetChatClient("gpt-4o").AsIChatClient();
        var chatOnOtherServer = Sim.Azure(other).GetChatClient("gpt-4o").AsIChatClient();

        async Task<string> AskAsync(IChatClient client, long seed)
        {
            var result = await Caller(client).CompleteJsonAsync("metainfo", [new ChatMessage(ChatRole.User, Query)], Schema, "metainfo", 400, seed, null, CancellationToken.None);
            Assert.True(result.Success, result.FailureReason);
            return result.Text!;
        }

        var first = await AskAsync(chat, 7);
        var again = await AskAsync(chat, 7);
        var elsewhere = await AskAsync(chatOnOtherServer, 7);
        var seeds = new List<string>();
        for (var seed = 100; seed < 105; seed++)
        {
            seeds.Add(await AskAsync(chat, seed));
        }

        Assert.Equal(first, again);
        Assert.Equal(first, elsewhere);
        Assert.True(seeds.Distinct().Count() > 1, "different seeds should not all give the same answer");
        // The enum is chosen from the text hash, not the seed: every seed classifies the same text the same way.
        Assert.Single(seeds.Append(first).Select(s => JsonDocument.Parse(s).RootElement.GetProperty("document_type").GetString()).Distinct());
    }

    [Fact]
    public async Task String_values_are_drawn_from_the_last_user_message()
    {
        await using var server = await Sim.StartAsync();
        var caller = Caller(Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient());
        var messages = new[]
        {
            new ChatMessage(ChatRole.System, "You extract meta-information from user queries. Answer in JSON."),
            new ChatMessage(ChatRole.User, Query),
        };

        var result = await caller.CompleteJsonAsync("metainfo", messages, Schema, "metainfo", 400, 3, null, CancellationToken.None);

        Assert.True(result.Success, result.FailureReason);
        var strings = new List<string> { result.Value.GetProperty("task_request").GetString()! };
        strings.AddRange(result.Value.GetProperty("constraints").EnumerateArray().Select(c => c.GetString()!));
        strings.AddRange(result.Value.GetProperty("details").GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()!));
        Assert.All(strings, s => Assert.Contains(s, Query, StringComparison.Ordinal));
        // A prose-like field gets a whole sentence of the request, not a fragment.
        Assert.EndsWith(".", result.Value.GetProperty("task_request").GetString(), StringComparison.Ordinal);
        // List items are distinct, so a graph built from them has distinct nodes.
        var constraints = result.Value.GetProperty("constraints").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(constraints.Count, constraints.Distinct().Count());
    }

    [Fact]
    public async Task Prose_for_a_list_of_attributes_is_built_from_the_attributes_not_the_instructions()
    {
        await using var server = await Sim.StartAsync();
        var caller = Caller(Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient());
        var schema = JsonDocument.Parse("""
            { "type": "object", "additionalProperties": false, "required": ["instruction"], "properties": { "instruction": { "type": "string" } } }
            """).RootElement;
        const string System = "You write requests that users send with documents. Turn the document type and attributes into one request.";
        var systemWords = new HashSet<string>(System.Split([' ', '.', ','], StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);
        var answers = new HashSet<string>(StringComparer.Ordinal);
        string[][] attributeSets =
        [
            ["compare revenue", "bullet list", "finance analyst"],
            ["termination clauses", "plain language", "tenant rights"],
            ["action items", "numbered table", "project manager"],
            ["statistical methods", "short paragraph", "graduate student"],
        ];
        foreach (var attributes in attributeSets)
        {
            // As the instruction writer renders a sampled path: "- field: value" lines of short values.
            var user = "Document type: report\nAttributes of the request:\n- task: " + attributes[0] + "\n- output format: " + attributes[1] + "\n- user profile: " + attributes[2] + "\n\nWrite the request now.";
            var result = await caller.CompleteJsonAsync("instruction-writing", [new(ChatRole.System, System), new(ChatRole.User, user)], schema, "instruction", 200, 3, null, CancellationToken.None);
            Assert.True(result.Success, result.FailureReason);
            var instruction = result.Value.GetProperty("instruction").GetString()!;
            answers.Add(instruction);

            // Every piece comes from the user's text, and at least one from the attributes themselves.
            var pieces = instruction.TrimEnd('.').Split(", ");
            Assert.InRange(pieces.Length, 3, 5);
            Assert.All(pieces, p => Assert.Contains(p, user, StringComparison.Ordinal));
            Assert.Contains(pieces, p => attributes.Any(a => a.Contains(p, StringComparison.Ordinal)));
            Assert.DoesNotContain(pieces, p => p.Split(' ').All(w => systemWords.Contains(w)));
        }

        Assert.Equal(attributeSets.Length, answers.Count);
    }

    [Fact]
    public async Task A_second_repair_turn_still_draws_values_from_the_original_task()
    {
        await using var server = await Sim.StartAsync();
        using var http = Sim.Http(server);
        var body = Sim.ChatBody(Query, maxTokens: 1_000, schema: System.Text.Json.Nodes.JsonNode.Parse(Schema.GetRawText()));
        var messages = body["messages"]!.AsArray();
        foreach (var rejected in new[] { """{"document_type":"contract"}""", """{"document_type":"novel"}""" })
        {
            messages.Add(new System.Text.Json.Nodes.JsonObject { ["role"] = "assistant", ["content"] = rejected });
            messages.Add(new System.Text.Json.Nodes.JsonObject { ["role"] = "user", ["content"] = "Your previous answer was rejected: the answer does not match the schema: $: missing required property 'task_request'. Reply again with only one JSON object." });
        }

        var answer = await Sim.ReadJsonAsync(await Sim.PostChatAsync(http, body));

        using var instance = JsonDocument.Parse(answer["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Contains(instance.RootElement.GetProperty("task_request").GetString()!, Query, StringComparison.Ordinal);
        Assert.All(instance.RootElement.GetProperty("constraints").EnumerateArray(), c => Assert.Contains(c.GetString()!, Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_quoted_reply_format_key_is_not_taken_for_a_phrase_to_mention()
    {
        await using var server = await Sim.StartAsync();
        var caller = Caller(Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient());
        var schema = JsonDocument.Parse("""
            { "type": "object", "additionalProperties": false, "required": ["instruction"], "properties": { "instruction": { "type": "string" } } }
            """).RootElement;
        const string System = """Refer to it literally as "the document". Reply with only a JSON object: {"instruction": "<the request>"}.""";
        var mentions = 0;
        for (var i = 0; i < 20; i++)
        {
            var user = $"Document type: report\nAttributes of the request:\n- task: topic {i} review\n- output format: table {i}";
            var result = await caller.CompleteJsonAsync("instruction-writing", [new(ChatRole.System, System), new(ChatRole.User, user)], schema, "instruction", 200, 1, null, CancellationToken.None);
            Assert.True(result.Success, result.FailureReason);
            var instruction = result.Value.GetProperty("instruction").GetString()!;
            Assert.DoesNotContain("about instruction", instruction, StringComparison.Ordinal);
            mentions += instruction.Contains("the document", StringComparison.Ordinal) ? 1 : 0;
        }

        // An obedient model mentions the quoted phrase most of the time (QuotedPhraseCompliance).
        Assert.InRange(mentions, 14, 20);
    }

    [Fact]
    public async Task A_retry_uses_the_wording_the_rejection_quotes()
    {
        await using var server = await Sim.StartAsync();
        var caller = Caller(Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient());
        var schema = JsonDocument.Parse("""
            { "type": "object", "additionalProperties": false, "required": ["instruction"], "properties": { "instruction": { "type": "string" } } }
            """).RootElement;
        const string System = "Adapt the request to the documents above. Reply with only a JSON object.";
        int firstTry = 0, succeeded = 0;
        for (var i = 0; i < 20; i++)
        {
            var user = $"Generic request:\nCompare topic {i} and budget {i} across the reports, as a table.";
            var attempts = 0;
            var result = await caller.CompleteJsonAsync("instruction-adaptation", [new(ChatRole.System, System), new(ChatRole.User, user)], schema, "adapted_instruction", 200, i, value =>
            {
                attempts++;
                return value.GetProperty("instruction").GetString()!.Contains("these documents", StringComparison.OrdinalIgnoreCase)
                    ? null
                    : "the adapted instruction must refer to all 2 documents (as \"these documents\" or \"Document 1\" … \"Document 2\")";
            }, CancellationToken.None);
            firstTry += attempts == 1 && result.Success ? 1 : 0;
            succeeded += result.Success ? 1 : 0;
        }

        // The system text quotes nothing, so first answers rarely say it; told the wording, the retry uses it (90 %).
        Assert.InRange(firstTry, 0, 4);
        Assert.InRange(succeeded, 17, 20);
    }

    [Fact]
    public async Task Grader_scores_lean_to_the_top_of_their_scale_as_model_judges_do()
    {
        await using var server = await Sim.StartAsync();
        var caller = Caller(Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient());
        var schema = JsonDocument.Parse("""
            { "type": "object", "additionalProperties": false, "required": ["score", "count"],
              "properties": { "score": { "type": "integer", "minimum": 1, "maximum": 5 }, "count": { "type": "integer", "minimum": 1, "maximum": 5 } } }
            """).RootElement;
        var scores = new List<long>();
        var counts = new List<long>();
        for (var i = 0; i < 200; i++)
        {
            var result = await caller.CompleteJsonAsync("judge", [new(ChatRole.User, $"Rate answer number {i} for the report.")], schema, "verdict", 100, 1, null, CancellationToken.None);
            Assert.True(result.Success, result.FailureReason);
            scores.Add(result.Value.GetProperty("score").GetInt64());
            counts.Add(result.Value.GetProperty("count").GetInt64());
        }

        Assert.All(scores, s => Assert.InRange(s, 1, 5));
        Assert.InRange(scores.Count(s => s >= 4), 140, 180);
        Assert.Contains(scores, s => s <= 3);
        // Other integers stay uniform over their range.
        Assert.InRange(counts.Count(c => c >= 4), 55, 105);
    }

    [Fact]
    public async Task A_repair_turn_still_draws_values_from_the_original_task_not_the_complaint()
    {
        await using var server = await Sim.StartAsync();
        using var http = Sim.Http(server);
        var body = Sim.ChatBody(Query, maxTokens: 1_000, schema: System.Text.Json.Nodes.JsonNode.Parse(Schema.GetRawText()));
        var messages = body["messages"]!.AsArray();
        messages.Add(new System.Text.Json.Nodes.JsonObject { ["role"] = "assistant", ["content"] = """{"document_type":"contract"}""" });
        messages.Add(new System.Text.Json.Nodes.JsonObject { ["role"] = "user", ["content"] = "Your previous answer was rejected: the answer does not match the schema: $: missing required property 'task_request'. Reply again with only one JSON object." });

        var answer = await Sim.ReadJsonAsync(await Sim.PostChatAsync(http, body));

        using var instance = JsonDocument.Parse(answer["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Empty(JsonSchemaInstanceValidator.Validate(Schema, instance.RootElement));
        Assert.Contains(instance.RootElement.GetProperty("task_request").GetString()!, Query, StringComparison.Ordinal);
        Assert.All(instance.RootElement.GetProperty("constraints").EnumerateArray(), c => Assert.Contains(c.GetString()!, Query, StringComparison.Ordinal));
    }

    [Fact]
    public async Task LlmCaller_recovers_from_injected_schema_violations_by_retrying()
    {
        await using var server = await Sim.StartAsync(o => o.Faults.SchemaViolationRate = 0.5);
        var chat = Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient();
        var caller = new LlmCaller(chat, new UsageLedger(), Options.Create(new LlmCallOptions { MaxStructuredAttempts = 6 }), NullLogger<LlmCaller>.Instance);
        var attempts = new List<int>();

        for (var i = 0; i < 8; i++)
        {
            var result = await caller.CompleteJsonAsync("metainfo", [new ChatMessage(ChatRole.User, $"Query {i}: {Query}")], Schema, "metainfo", 1_000, i, null, CancellationToken.None);
            Assert.True(result.Success, result.FailureReason);
            attempts.Add(result.Attempts);
        }

        var violations = server.Metrics.Snapshot().Totals.Faults.GetValueOrDefault(nameof(FaultKind.SchemaViolation));
        Assert.True(violations > 0);
        Assert.Equal(attempts.Sum() - attempts.Count, violations);
    }

    [Theory]
    [InlineData(nameof(FaultOptions.SchemaViolationRate))]
    [InlineData(nameof(FaultOptions.TruncatedContentRate))]
    public async Task A_repaired_answer_after_a_damaging_fault_is_the_answer_a_fault_free_model_gives(string rate)
    {
        await using var faulty = await Sim.StartAsync(o => typeof(FaultOptions).GetProperty(rate)!.SetValue(o.Faults, 0.5));
        await using var clean = await Sim.StartAsync();
        var faultyCaller = new LlmCaller(Sim.OpenAI(faulty).GetChatClient("gpt-4o-mini").AsIChatClient(), new UsageLedger(),
            Options.Create(new LlmCallOptions { MaxStructuredAttempts = 8 }), NullLogger<LlmCaller>.Instance);
        var cleanCaller = Caller(Sim.OpenAI(clean).GetChatClient("gpt-4o-mini").AsIChatClient());
        var repaired = 0;
        for (var i = 0; i < 12; i++)
        {
            ChatMessage[] messages = [new(ChatRole.User, $"Query {i}: {Query}")];
            var damaged = await faultyCaller.CompleteJsonAsync("metainfo", messages, Schema, "metainfo", 1_000, i, null, CancellationToken.None);
            var expected = await cleanCaller.CompleteJsonAsync("metainfo", messages, Schema, "metainfo", 1_000, i, null, CancellationToken.None);
            Assert.True(damaged.Success, damaged.FailureReason);
            Assert.Equal(expected.Text, damaged.Text);
            repaired += damaged.Attempts > 1 ? 1 : 0;
        }

        Assert.True(repaired > 0, "no answer was damaged; the test shows nothing");
    }

    [Fact]
    public async Task Many_real_queries_all_get_schema_valid_answers()
    {
        await using var server = await Sim.StartAsync();
        var caller = Caller(Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient());
        var queries = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestData", "queries.sample.jsonl"))
            .Take(25)
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Select(q => q.TryGetProperty("text", out var t) ? t.GetString()! : q.GetRawText())
            .ToList();

        foreach (var query in queries)
        {
            var result = await caller.CompleteJsonAsync("metainfo", [new ChatMessage(ChatRole.User, query)], Schema, "metainfo", 2_000, 1, null, CancellationToken.None);
            Assert.True(result.Success, result.FailureReason);
        }
    }

    private static LlmCaller Caller(IChatClient chat)
        => new(chat, new UsageLedger(), Options.Create(new LlmCallOptions()), NullLogger<LlmCaller>.Instance);
}
