using System.Text.Json;
using WildLong.Core.Model;
using WildLong.Llm.Batch;
using WildLong.Llm.Caching;
using WildLong.Llm.Tests.Caching;

namespace WildLong.Llm.Tests.Batch;

/// <summary>
/// Batch mode inside the response cache: a miss in a batch pass becomes a batch line (the model is not called), a
/// collected answer is served — also an invalid one, so the caller sends its repair turn as the next line — and
/// enters the cache when complete; failures are sent once more, then reported with their reason; online calls are untouched.
/// </summary>
public sealed class BatchDeferralTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""").RootElement;

    [Fact]
    public async Task A_miss_in_a_batch_pass_is_recorded_as_a_line_and_the_collected_answer_is_served_then_cached()
    {
        var model = new CacheTestKit.ScriptedChat((_, _) => CacheTestKit.ScriptedChat.Reply("online answer"));
        var store = new InMemoryResponseCacheStore();
        var ledger = new UsageLedger();
        var cache = CacheTestKit.Cache(model, store, ledger);
        var caller = CacheTestKit.Caller(cache, ledger);
        var messages = CacheTestKit.Messages("Summarize the lease.");

        var deferral = new BatchDeferral("/v1/chat/completions", pass: 1, final: false);
        LlmResult pending;
        using (BatchDeferral.Begin(deferral))
        {
            pending = await caller.CompleteTextAsync("response-generation", messages, 200, 7, CancellationToken.None);
        }

        Assert.False(pending.Success);
        Assert.Equal(0, model.Requests);
        Assert.Equal(0, ledger.Snapshot().GetValueOrDefault("response-generation")?.FailedCalls ?? 0);
        var (customId, line, attempt) = Assert.Single(deferral.Requests);
        Assert.Equal(1, attempt);
        var (stage, key) = BatchDeferral.Parse(customId)!.Value;
        Assert.Equal("response-generation", stage);
        using (var json = JsonDocument.Parse(line))
        {
            Assert.Equal(customId, json.RootElement.GetProperty("custom_id").GetString());
            Assert.Equal("/v1/chat/completions", json.RootElement.GetProperty("url").GetString());
            Assert.Equal(200, json.RootElement.GetProperty("body").GetProperty("max_tokens").GetInt32());
            Assert.Equal(7, json.RootElement.GetProperty("body").GetProperty("seed").GetInt64());
        }

        Assert.True(await BatchAnswers.RecordAsync(store, cache.Identity, key, BatchLineResult.Success(customId, CacheTestKit.ScriptedChat.Reply("batch answer")), "s1", CancellationToken.None));
        using (BatchDeferral.Begin(new BatchDeferral("/v1/chat/completions", pass: 2, final: false)))
        {
            var answered = await caller.CompleteTextAsync("response-generation", messages, 200, 7, CancellationToken.None);
            Assert.Equal("batch answer", answered.Text);
        }

        // Online afterwards: the batch answer is now in the response cache proper; the model is still not called.
        var online = await caller.CompleteTextAsync("response-generation", messages, 200, 7, CancellationToken.None);
        Assert.Equal("batch answer", online.Text);
        Assert.Equal(0, model.Requests);
        Assert.Equal(0, ledger.Snapshot()["response-generation"].InputTokens);
    }

    [Fact]
    public async Task An_invalid_collected_answer_is_served_so_the_repair_turn_becomes_the_next_line()
    {
        var store = new InMemoryResponseCacheStore();
        var ledger = new UsageLedger();
        var cache = CacheTestKit.Cache(new CacheTestKit.ScriptedChat((_, _) => throw new InvalidOperationException("no online call in batch mode")), store, ledger);
        var caller = CacheTestKit.Caller(cache, ledger);
        var messages = CacheTestKit.Messages("Answer in JSON.");

        var first = new BatchDeferral("/chat/completions", 1, final: false);
        using (BatchDeferral.Begin(first))
        {
            await caller.CompleteJsonAsync("quality-judge", messages, Schema, "verdict", 100, 1, null, CancellationToken.None);
        }

        var (customId, _, _) = Assert.Single(first.Requests);
        await BatchAnswers.RecordAsync(store, cache.Identity, BatchDeferral.Parse(customId)!.Value.CacheKey,
            BatchLineResult.Success(customId, CacheTestKit.ScriptedChat.Reply("not json")), "s1", CancellationToken.None);

        var second = new BatchDeferral("/chat/completions", 2, final: false);
        using (BatchDeferral.Begin(second))
        {
            await caller.CompleteJsonAsync("quality-judge", messages, Schema, "verdict", 100, 1, null, CancellationToken.None);
        }

        var (repairId, repairLine, _) = Assert.Single(second.Requests);
        Assert.NotEqual(customId, repairId);
        using var json = JsonDocument.Parse(repairLine);
        var sent = json.RootElement.GetProperty("body").GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(4, sent.Count);
        Assert.Equal("not json", sent[2].GetProperty("content").GetString());
        Assert.Contains("rejected", sent[3].GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retryable_failure_is_sent_once_more_and_a_second_failure_is_final_with_its_reason()
    {
        var store = new InMemoryResponseCacheStore();
        var ledger = new UsageLedger();
        var cache = CacheTestKit.Cache(new CacheTestKit.ScriptedChat((_, _) => throw new InvalidOperationException("no online call")), store, ledger);
        var caller = CacheTestKit.Caller(cache, ledger);
        var messages = CacheTestKit.Messages("Classify the document.");

        async Task<(LlmResult Result, BatchDeferral Deferral)> PassAsync(int pass, bool final = false)
        {
            var deferral = new BatchDeferral("/chat/completions", pass, final);
            using (BatchDeferral.Begin(deferral))
            {
                return (await caller.CompleteTextAsync("classify-documents", messages, 50, 3, CancellationToken.None), deferral);
            }
        }

        var (_, one) = await PassAsync(1);
        var (customId, _, attempt) = Assert.Single(one.Requests);
        Assert.Equal(1, attempt);
        var key = BatchDeferral.Parse(customId)!.Value.CacheKey;
        var failure = BatchLineResult.Failure(customId, "server_error (HTTP 500): boom", retryable: true);
        Assert.False(await BatchAnswers.RecordAsync(store, cache.Identity, key, failure, "s1", CancellationToken.None));
        Assert.False(await BatchAnswers.RecordAsync(store, cache.Identity, key, failure, "s1", CancellationToken.None));   // collected twice: still one failure

        var (_, two) = await PassAsync(2);
        Assert.Equal(2, Assert.Single(two.Requests).Attempt);
        await BatchAnswers.RecordAsync(store, cache.Identity, key, failure, "s2", CancellationToken.None);

        var (final, three) = await PassAsync(3);
        Assert.Empty(three.Requests);
        Assert.False(final.Success);
        Assert.Contains("boom", final.FailureReason, StringComparison.Ordinal);
        Assert.Contains("after one resubmission", final.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_the_final_pass_an_unanswered_request_fails_instead_of_becoming_a_line()
    {
        var store = new InMemoryResponseCacheStore();
        var ledger = new UsageLedger();
        var caller = CacheTestKit.Caller(CacheTestKit.Cache(new CacheTestKit.ScriptedChat((_, _) => throw new InvalidOperationException("no online call")), store, ledger), ledger);
        var deferral = new BatchDeferral("/chat/completions", 25, final: true);
        using (BatchDeferral.Begin(deferral))
        {
            var result = await caller.CompleteTextAsync("instruction-writing", CacheTestKit.Messages("Write."), 50, 3, CancellationToken.None);
            Assert.False(result.Success);
            Assert.Contains("no batch answer after 24 batch pass(es)", result.FailureReason, StringComparison.Ordinal);
        }

        Assert.Empty(deferral.Requests);
    }
}
