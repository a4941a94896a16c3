using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using WildLong.Llm.Tests.Support;
using WildLong.Simulator;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace WildLong.Llm.Tests.Resilience;

/// <summary>
/// A 429 is waited out exactly as long as the server asked, then retried to success, and counted. The simulator and
/// the client share a fake clock (<see cref="ModelHarness.Clock"/>): no test waits for a real second to turn.
/// </summary>
public sealed class ThrottlingTests
{
    [Fact]
    public async Task A_429_is_retried_no_earlier_than_retry_after_ms_and_then_succeeds()
    {
        // The deployment takes one request per second and another process has just used this second's request, so
        // our first call (which has seen no rate-limit header yet) meets a 429. Simulator and client share a fake
        // clock, so both requests fall in the same second, and the retry waits on that clock.
        var clock = new FakeTimeProvider();
        await using var harness = await ModelHarness.StartAsync(
            simulator: o => o.Deployments = [new DeploymentOptions("gpt-4o-mini", 1_000_000, 60)],
            model: o => (o.Tpm, o.Rpm) = (1_000_000, 60),
            clock: clock);
        await harness.WarmUpAsync();
        await OtherProcessCallsAsync(harness);

        var call = harness.Caller.CompleteTextAsync("extraction", [new ChatMessage(ChatRole.User, SampleQueries.Texts[1])], 100, 1, CancellationToken.None);
        await Eventually.HoldsAsync(() => harness.Wire.Exchanges.Count > 0 || call.IsCompleted, "the first attempt is answered");
        var result = await harness.CompleteWithClockAsync(call);

        Assert.True(result.Success, result.FailureReason);
        var wire = harness.Wire.Exchanges;
        Assert.Equal([429, 200], wire.Select(e => e.Status));
        var throttled = wire[0];
        var waited = harness.Wire.Time.GetElapsedTime(throttled.ReceivedAt, wire[1].SentAt);
        Assert.True(throttled.RetryAfterMs > 0);
        Assert.True(waited.TotalMilliseconds >= throttled.RetryAfterMs, $"retried after {waited.TotalMilliseconds} ms, server asked for {throttled.RetryAfterMs} ms");

        var usage = harness.Ledger.Snapshot()["extraction"];
        Assert.Equal((1L, 0L, 1L, 1L), (usage.Calls, usage.FailedCalls, usage.Retries, usage.Throttled));
        Assert.Equal(1, harness.Totals.Throttled);
        var limiter = harness.Factory.Limiter.Snapshot();
        Assert.Equal((1L, 1), (limiter.Throttled, limiter.ConcurrencyDecreases));
    }

    /// <summary>Another client of the same deployment: one raw request that uses up the current second.</summary>
    private static async Task OtherProcessCallsAsync(ModelHarness harness)
    {
        using var http = new HttpClient { BaseAddress = harness.Server.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", harness.Server.ApiKey);
        var body = """{"model":"gpt-4o-mini","max_tokens":20,"messages":[{"role":"user","content":"Another process asks something."}]}""";
        using var response = await http.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"the other process got {(int)response.StatusCode}");
    }

    [Fact]
    public async Task When_retries_run_out_the_429_becomes_a_failure_reason()
    {
        await using var harness = await ModelHarness.StartAsync(
            simulator: o => o.Deployments = [new DeploymentOptions("gpt-4o-mini", 1_000_000, 60)],
            model: o => (o.Tpm, o.Rpm, o.MaxRetries) = (1_000_000, 60, 0),
            clock: new FakeTimeProvider());
        await harness.WarmUpAsync();
        await OtherProcessCallsAsync(harness);

        var b = await harness.Caller.CompleteTextAsync("extraction", [new ChatMessage(ChatRole.User, SampleQueries.Texts[2])], 100, 1, CancellationToken.None);

        Assert.False(b.Success);
        Assert.Contains("429", b.FailureReason, StringComparison.Ordinal);
        var usage = harness.Ledger.Snapshot()["extraction"];
        Assert.Equal((1L, 0L, 1L), (usage.FailedCalls, usage.Retries, usage.Throttled));
    }

    [Fact]
    public async Task Use_by_another_process_is_learned_from_the_remaining_headers()
    {
        var clock = new FakeTimeProvider();
        await using var harness = await ModelHarness.StartAsync(
            simulator: o => o.Deployments = [new DeploymentOptions("gpt-4o-mini", 1_000_000, 60)],
            model: o => (o.Tpm, o.Rpm, o.QuotaHeadroom) = (1_000_000, 60, 0),
            clock: clock);
        await harness.WarmUpAsync();
        for (var i = 0; i < 3; i++)
        {
            // Another process spends three seconds' requests; its use shows in the remaining headers of our answers.
            await OtherProcessCallsAsync(harness);
            clock.Advance(TimeSpan.FromMilliseconds(1_100));
        }

        var results = await harness.CompleteWithClockAsync(Task.WhenAll(Enumerable.Range(4, 3).Select(i =>
            harness.Caller.CompleteTextAsync("extraction", [new ChatMessage(ChatRole.User, SampleQueries.Texts[i])], 100, 1, CancellationToken.None))));

        Assert.All(results, r => Assert.True(r.Success, r.FailureReason));
        var limiter = harness.Factory.Limiter.Snapshot();
        Assert.Equal(3, limiter.ForeignRequests);
        Assert.Equal(0, harness.Totals.Throttled);
    }

    [Fact]
    public async Task With_the_real_quota_configured_the_limiter_avoids_429s_altogether()
    {
        // 60 RPM = one request per second on the server; the client knows it and spaces the calls itself.
        await using var harness = await ModelHarness.StartAsync(
            simulator: o => o.Deployments = [new DeploymentOptions("gpt-4o-mini", 1_000_000, 60)],
            model: o =>
            {
                o.Tpm = 1_000_000;
                o.Rpm = 60;
                o.QuotaHeadroom = 0;
            },
            clock: new FakeTimeProvider());
        await harness.WarmUpAsync();

        var results = await harness.CompleteWithClockAsync(Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            harness.Caller.CompleteTextAsync("extraction", [new ChatMessage(ChatRole.User, SampleQueries.Texts[i])], 100, 1, CancellationToken.None))));

        Assert.All(results, r => Assert.True(r.Success, r.FailureReason));
        var start = harness.Wire.Exchanges[0].SentAt;
        Assert.True(0 == harness.Totals.Throttled, string.Join("; ", harness.Wire.Exchanges.Select(e => $"{e.Status} sent +{harness.Wire.Time.GetElapsedTime(start, e.SentAt).TotalMilliseconds} ms ra {e.RetryAfterMs}")));
        Assert.All(harness.Wire.Exchanges, e => Assert.Equal(200, e.Status));
    }
}
