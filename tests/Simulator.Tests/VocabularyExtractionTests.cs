using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Model;
using WildLong.Core.MetaInfo;
using WildLong.Simulator.Tests.Support;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace WildLong.Simulator.Tests;

/// <summary>Open-vocabulary extraction: values chosen by meaning, recurring across paraphrases, deterministic.</summary>
public sealed class VocabularyExtractionTests
{
    private static readonly JsonElement Schema = StrictSchemaBuilder.Build(MetaInfoSchema.Default, DocumentTaxonomy.Default);

    private const string Article =
        "The river flooded the valley after days of heavy rain, and the farmers moved their animals to higher ground. "
        + "Volunteers from nearby towns brought food and blankets, while engineers inspected the old dam for damage. ";

    private const string Snippet = "```python\nprices = {'apple': 3}\nfor fruit in basket:\n    total += prices[fruit]\n```";

    private static readonly string[] Summaries =
    [
        "Summarize this article for me:\n\n" + string.Concat(Enumerable.Repeat(Article, 4)),
        "Can you give me a brief summary of the following article?\n\n" + string.Concat(Enumerable.Repeat(Article, 4)),
    ];

    private static readonly string[] Debugging =
    [
        "Debug this code, it crashes with a KeyError:\n" + Snippet,
        "Fix the bug in my Python script below, I get a KeyError when I run it.\n" + Snippet,
    ];

    private static LlmCaller Caller(IChatClient chat) => new(chat, new UsageLedger(), Options.Create(new LlmCallOptions { MaxStructuredAttempts = 1 }), NullLogger<LlmCaller>.Instance);

    private static async Task<JsonElement> ExtractAsync(LlmCaller caller, string request, long seed)
    {
        var user = "Fields to fill:\n- task_request …\n\nThe user's request is between the markers below.\n<<<REQUEST\n" + request + "\nREQUEST>>>";
        var result = await caller.CompleteJsonAsync("metainfo-extraction", [new ChatMessage(ChatRole.System, "You analyse real requests."), new ChatMessage(ChatRole.User, user)], Schema, "metainfo-extraction", 600, seed, null, CancellationToken.None);
        Assert.True(result.Success, result.FailureReason);
        Assert.Empty(JsonSchemaInstanceValidator.Validate(Schema, result.Value));
        return result.Value;
    }

    private static string? FirstTask(JsonElement answer)
        => answer.GetProperty("task_request") is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() > 0 ? list[0].GetProperty("value").GetString() : null;

    [Fact]
    public async Task Paraphrased_requests_get_the_same_canonical_task_and_different_tasks_differ()
    {
        await using var server = await Sim.StartAsync();
        var caller = Caller(Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient());
        var summaryTasks = new List<string?>();
        var debugTasks = new List<string?>();
        for (var seed = 1; seed <= 4; seed++)
        {
            foreach (var request in Summaries)
            {
                summaryTasks.Add(FirstTask(await ExtractAsync(caller, request, seed)));
            }

            foreach (var request in Debugging)
            {
                debugTasks.Add(FirstTask(await ExtractAsync(caller, request, seed)));
            }
        }

        static string Mode(List<string?> values) => values.Where(v => v is not null).GroupBy(v => v!).OrderByDescending(g => g.Count()).First().Key;
        var summary = Mode(summaryTasks);
        var debug = Mode(debugTasks);
        Assert.Contains("summar", summary, StringComparison.Ordinal);
        // MiniLM's picture of meaning is not a model's (it puts "KeyError" near "extract keywords"), so only
        // separation is asserted for the code requests.
        Assert.NotEqual(summary, debug);
        Assert.True(summaryTasks.Count(t => t == summary) >= 5, string.Join(", ", summaryTasks));
        // Code snippets are close to many entries for MiniLM, so their answers spread more (a known limit, README).
        Assert.True(debugTasks.Count(t => t == debug) >= 2, string.Join(", ", debugTasks));
    }

    [Fact]
    public async Task Answers_are_deterministic_per_request_and_seed_and_carry_a_detail_from_the_request()
    {
        await using var server = await Sim.StartAsync();
        var caller = Caller(Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient());

        var first = await ExtractAsync(caller, Debugging[1], 11);
        var again = await ExtractAsync(caller, Debugging[1], 11);

        Assert.Equal(first.GetRawText(), again.GetRawText());
        var details = new List<string>();
        for (var seed = 20; seed < 26; seed++)
        {
            var answer = await ExtractAsync(caller, Debugging[1], seed);
            if (answer.GetProperty("task_request").ValueKind != JsonValueKind.Array)
            {
                continue;   // an inferred field is sometimes left null, as by a model
            }

            foreach (var item in answer.GetProperty("task_request").EnumerateArray())
            {
                if (item.GetProperty("detail").GetString() is { } detail)
                {
                    details.Add(detail);
                }
            }
        }

        Assert.NotEmpty(details);
        Assert.All(details, d => Assert.Contains(d, Debugging[1], StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Explicit_only_fields_stay_null_when_the_request_does_not_state_them()
    {
        await using var server = await Sim.StartAsync();
        var caller = Caller(Sim.OpenAI(server).GetChatClient("gpt-4o-mini").AsIChatClient());

        for (var seed = 1; seed <= 5; seed++)
        {
            var answer = await ExtractAsync(caller, Summaries[0], seed);
            Assert.Equal(JsonValueKind.Null, answer.GetProperty("tone_style").ValueKind);
            Assert.Equal(JsonValueKind.Null, answer.GetProperty("output_format").ValueKind);
        }

        // Stated: filled (a share of answers is an "other: …" value, as for a model).
        var formats = new List<string?>();
        var tones = new List<string?>();
        for (var seed = 1; seed <= 4; seed++)
        {
            var stated = await ExtractAsync(caller, "Summarize this article as a bullet list in a formal tone:\n\n" + Article + Article, seed);
            formats.Add(stated.GetProperty("output_format").GetProperty("value").GetString());
            tones.Add(stated.GetProperty("tone_style").GetProperty("value").GetString());
        }

        Assert.True(formats.Count(f => f == "bullet list") >= 3, string.Join(", ", formats));
        Assert.True(tones.Count(t => t == "formal") >= 3, string.Join(", ", tones));
    }
}
