using System.Text.Json;
using Microsoft.Extensions.AI;
using WildLong.Core.Model;
using WildLong.Llm.Caching;
using WildLong.Simulator;

namespace WildLong.Llm.Tests.Caching;

/// <summary>
/// The response cache in front of the real OpenAI client and the simulator: a repeat never reaches the model, hits
/// are marked and counted per stage, and only complete answers are stored.
/// </summary>
public sealed class ResponseCachingChatClientTests
{
    private const string Document = "The tenant shall pay rent on the first day of each month. Either party may end the lease with ninety days of written notice. "
        + "The landlord keeps the deposit until the keys are returned.";

    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"summary":{"type":"string"},"parties":{"type":"array","items":{"type":"string"}}},"required":["summary","parties"],"additionalProperties":false}""").RootElement;

    [Fact]
    public async Task A_repeated_request_is_answered_from_the_cache_without_reaching_the_model_and_the_ledger_counts_the_hit()
    {
        await using var server = await CacheTestKit.StartSimulatorAsync();
        var ledger = new UsageLedger();
        var store = new InMemoryResponseCacheStore();
        var caller = CacheTestKit.Caller(CacheTestKit.Cache(CacheTestKit.SimulatorChat(server), store, ledger), ledger);
        var messages = CacheTestKit.Messages("What notice does the lease require? " + Document);

        var first = await caller.CompleteTextAsync("response-generation", messages, 200, 7, CancellationToken.None);
        var second = await caller.CompleteTextAsync("response-generation", messages, 200, 7, CancellationToken.None);
        var otherStage = await caller.CompleteTextAsync("quality-judge", messages, 200, 7, CancellationToken.None);

        Assert.True(first.Success, first.FailureReason);
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Text, otherStage.Text);
        Assert.Equal(1, await RequestsSeenAsync(server));
        Assert.Equal(1, store.Count);
        var usage = ledger.Snapshot();
        Assert.Equal(1, usage["response-generation"].CacheHits);
        Assert.Equal(1, usage["quality-judge"].CacheHits);

        // Only the call that reached the model is billed: hits add no calls and no tokens.
        Assert.Equal(1, usage["response-generation"].Calls);
        Assert.Equal(0, usage["quality-judge"].Calls);
        Assert.Equal(0, usage["quality-judge"].InputTokens + usage["quality-judge"].OutputTokens);
        Assert.True(usage["response-generation"].InputTokens > 0);
    }

    [Fact]
    public async Task A_structured_answer_is_cached_and_a_hit_carries_text_finish_reason_usage_and_model_with_the_hit_mark()
    {
        await using var server = await CacheTestKit.StartSimulatorAsync();
        var cache = CacheTestKit.Cache(CacheTestKit.SimulatorChat(server), new InMemoryResponseCacheStore());
        var options = new ChatOptions { MaxOutputTokens = 300, Seed = 3, ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "lease") };
        var messages = CacheTestKit.Messages("Summarize the lease and list its parties. " + Document);

        var fresh = await cache.GetResponseAsync(messages, options);
        var hit = await cache.GetResponseAsync(messages, options);

        Assert.False(ResponseCachingChatClient.IsCacheHit(fresh));
        Assert.True(ResponseCachingChatClient.IsCacheHit(hit));
        Assert.Equal(fresh.Text, hit.Text);
        Assert.Equal(ChatFinishReason.Stop, hit.FinishReason);
        Assert.Equal(fresh.ModelId, hit.ModelId);
        Assert.Equal(fresh.Usage!.InputTokenCount, hit.Usage!.InputTokenCount);
        Assert.Equal(fresh.Usage.OutputTokenCount, hit.Usage.OutputTokenCount);
        Assert.Equal(cache.KeyFor(messages, options), hit.AdditionalProperties![ResponseCachingChatClient.CacheKeyProperty]);
        Assert.Equal(1, await RequestsSeenAsync(server));
    }

    [Fact]
    public async Task Changing_max_tokens_or_seed_misses_the_cache()
    {
        await using var server = await CacheTestKit.StartSimulatorAsync();
        var cache = CacheTestKit.Cache(CacheTestKit.SimulatorChat(server), new InMemoryResponseCacheStore());
        var messages = CacheTestKit.Messages("Who pays the rent? " + Document);

        await cache.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 200, Seed = 1 });
        await cache.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 201, Seed = 1 });
        await cache.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 200, Seed = 2 });
        await cache.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 200, Seed = 1 });

        Assert.Equal(3, await RequestsSeenAsync(server));
    }

    [Fact]
    public async Task Truncated_answers_are_not_cached()
    {
        await using var server = await CacheTestKit.StartSimulatorAsync();
        var store = new InMemoryResponseCacheStore();
        var cache = CacheTestKit.Cache(CacheTestKit.SimulatorChat(server), store);
        var messages = CacheTestKit.Messages("Quote the termination terms. " + string.Concat(Enumerable.Repeat(Document + " ", 20)));
        var options = new ChatOptions { MaxOutputTokens = 4 };

        var first = await cache.GetResponseAsync(messages, options);
        var second = await cache.GetResponseAsync(messages, options);

        Assert.Equal(ChatFinishReason.Length, first.FinishReason);
        Assert.False(ResponseCachingChatClient.IsCacheHit(second));
        Assert.Equal(0, store.Count);
        Assert.Equal(2, await RequestsSeenAsync(server));
    }

    [Fact]
    public async Task Failed_calls_are_not_cached_and_fail_again_at_the_model()
    {
        await using var server = await CacheTestKit.StartSimulatorAsync(o => o.Faults.ServerErrorRate = 1);
        var ledger = new UsageLedger();
        var store = new InMemoryResponseCacheStore();
        var caller = CacheTestKit.Caller(CacheTestKit.Cache(CacheTestKit.SimulatorChat(server), store, ledger), ledger);
        var messages = CacheTestKit.Messages("Who keeps the deposit? " + Document);

        var first = await caller.CompleteTextAsync("response-generation", messages, 200, 1, CancellationToken.None);
        var second = await caller.CompleteTextAsync("response-generation", messages, 200, 1, CancellationToken.None);

        Assert.False(first.Success);
        Assert.False(second.Success);
        Assert.Equal(0, store.Count);
        Assert.Equal(2, await RequestsSeenAsync(server));
        Assert.Equal(0, ledger.Snapshot()["response-generation"].CacheHits);
    }

    [Fact]
    public async Task Empty_answers_and_structured_answers_that_break_the_schema_are_not_cached()
    {
        var answers = new Queue<string>(["", "{\"summary\":\"only a summary\"}", "not json at all", "{\"summary\":\"ok\",\"parties\":[\"tenant\"]}"]);
        var chat = new CacheTestKit.ScriptedChat((_, _) => CacheTestKit.ScriptedChat.Reply(answers.Dequeue()));
        var store = new InMemoryResponseCacheStore();
        var cache = CacheTestKit.Cache(chat, store);
        var options = new ChatOptions { MaxOutputTokens = 100, ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "lease") };
        var messages = CacheTestKit.Messages("Summarize the lease.");

        for (var i = 0; i < 5; i++)
        {
            await cache.GetResponseAsync(messages, options);
        }

        // Three rejected answers, one stored valid answer, then a hit.
        Assert.Equal(4, chat.Requests);
        Assert.Equal(1, store.Count);
        Assert.Equal("{\"summary\":\"ok\",\"parties\":[\"tenant\"]}", (await store.GetAsync(cache.KeyFor(messages, options)!, CancellationToken.None))!.Text);
    }

    [Fact]
    public async Task A_changed_namespace_invalidates_what_was_cached_before()
    {
        var chat = new CacheTestKit.ScriptedChat((_, _) => CacheTestKit.ScriptedChat.Reply("an answer"));
        var store = new InMemoryResponseCacheStore();
        var messages = CacheTestKit.Messages("Summarize the lease.");
        var options = new ChatOptions { MaxOutputTokens = 100 };

        await CacheTestKit.Cache(chat, store, options: new ResponseCacheOptions { Namespace = "prompts-v1" }).GetResponseAsync(messages, options);
        await CacheTestKit.Cache(chat, store, options: new ResponseCacheOptions { Namespace = "prompts-v1" }).GetResponseAsync(messages, options);
        await CacheTestKit.Cache(chat, store, options: new ResponseCacheOptions { Namespace = "prompts-v2" }).GetResponseAsync(messages, options);

        Assert.Equal(2, chat.Requests);
    }

    [Fact]
    public async Task A_disabled_cache_passes_every_request_through()
    {
        var chat = new CacheTestKit.ScriptedChat((_, _) => CacheTestKit.ScriptedChat.Reply("an answer"));
        var store = new InMemoryResponseCacheStore();
        var cache = CacheTestKit.Cache(chat, store, options: new ResponseCacheOptions { Enabled = false });

        await cache.GetResponseAsync(CacheTestKit.Messages("Summarize the lease."), new ChatOptions { MaxOutputTokens = 100 });
        await cache.GetResponseAsync(CacheTestKit.Messages("Summarize the lease."), new ChatOptions { MaxOutputTokens = 100 });

        Assert.Equal(2, chat.Requests);
        Assert.Equal(0, store.Count);
    }

    [Fact]
    public async Task A_failing_store_is_logged_and_never_fails_the_call()
    {
        var chat = new CacheTestKit.ScriptedChat((_, _) => CacheTestKit.ScriptedChat.Reply("an answer"));
        var logger = new CacheTestKit.ListLogger<ResponseCachingChatClient>();
        var cache = CacheTestKit.Cache(chat, new BrokenStore(), logger: logger);

        var response = await cache.GetResponseAsync(CacheTestKit.Messages("Summarize the lease."), new ChatOptions { MaxOutputTokens = 100 });

        Assert.Equal("an answer", response.Text);
        Assert.Contains(logger.Messages, m => m.Contains("lookup failed", StringComparison.Ordinal));
        Assert.Contains(logger.Messages, m => m.Contains("Storing a response", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_builder_extension_puts_the_cache_into_a_pipeline()
    {
        var chat = new CacheTestKit.ScriptedChat((_, _) => CacheTestKit.ScriptedChat.Reply("an answer"));
        using var pipeline = new ChatClientBuilder(chat).UseResponseCache(new InMemoryResponseCacheStore()).Build();

        await pipeline.GetResponseAsync(CacheTestKit.Messages("Summarize the lease."), new ChatOptions { MaxOutputTokens = 100 });
        var second = await pipeline.GetResponseAsync(CacheTestKit.Messages("Summarize the lease."), new ChatOptions { MaxOutputTokens = 100 });

        Assert.True(ResponseCachingChatClient.IsCacheHit(second));
        Assert.Equal(1, chat.Requests);
    }

    /// <summary>Requests the simulator received, read from its /metrics route.</summary>
    private static async Task<long> RequestsSeenAsync(SimulatorServer server)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var metrics = JsonDocument.Parse(await http.GetStringAsync("metrics"));
        return metrics.RootElement.GetProperty("totals").GetProperty("requests").GetInt64();
    }

    private sealed class BrokenStore : IResponseCacheStore
    {
        public Task<CachedChatResponse?> GetAsync(string key, CancellationToken cancellationToken) => throw new IOException("storage is down");

        public Task<bool> PutAsync(CachedChatResponse entry, CancellationToken cancellationToken) => throw new IOException("storage is down");
    }
}
