using System.ClientModel;
using System.Globalization;
using System.Net;
using OpenAI.Chat;
using WildLong.Simulator.Quota;
using WildLong.Simulator.Tests.Support;

namespace WildLong.Simulator.Tests;

/// <summary>Azure-style per-deployment quota: admission charges, 429 with retry headers, remaining headers.</summary>
public sealed class QuotaTests
{
    [Fact]
    public async Task Over_the_token_budget_is_429_with_retry_after_headers_and_an_OpenAI_error()
    {
        var time = new ManualTimeProvider();
        // 6,000 TPM => 1,000 tokens per 10-second window; each request charges its prompt + max_tokens (600).
        await using var server = await Sim.StartAsync(o => o.Deployments = [new DeploymentOptions("small", 6_000, 600)], time);
        using var http = Sim.Http(server);

        using var first = await Sim.PostChatAsync(http, Sim.ChatBody("first request", "small", maxTokens: 600));
        using var second = await Sim.PostChatAsync(http, Sim.ChatBody("second request", "small", maxTokens: 600));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var retryMs = long.Parse(Sim.Header(second, "retry-after-ms"), CultureInfo.InvariantCulture);
        var retrySeconds = long.Parse(Sim.Header(second, "retry-after"), CultureInfo.InvariantCulture);
        Assert.InRange(retryMs, 1, 10_000);
        Assert.Equal((long)Math.Ceiling(retryMs / 1000.0), retrySeconds);
        var error = (await Sim.ReadJsonAsync(second))["error"]!;
        Assert.Equal("429", error["code"]!.GetValue<string>());
        Assert.Contains("token rate limit", error["message"]!.GetValue<string>(), StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMilliseconds(retryMs));
        using var afterWait = await Sim.PostChatAsync(http, Sim.ChatBody("second request", "small", maxTokens: 600));
        Assert.Equal(HttpStatusCode.OK, afterWait.StatusCode);
        Assert.Equal(1, server.Metrics.Snapshot().Totals.Throttled);
    }

    [Fact]
    public async Task Remaining_headers_are_on_every_answer_and_count_down_by_the_admission_charge()
    {
        var time = new ManualTimeProvider();
        await using var server = await Sim.StartAsync(o => o.Deployments = [new DeploymentOptions("d", 120_000, 600)], time);
        using var http = Sim.Http(server);

        using var first = await Sim.PostChatAsync(http, Sim.ChatBody("How long is the notice period?", "d", maxTokens: 100));
        var firstUsage = (await Sim.ReadJsonAsync(first))["usage"]!;
        using var second = await Sim.PostChatAsync(http, Sim.ChatBody("How long is the notice period?", "d"));
        using var badRequest = await Sim.PostChatAsync(http, new System.Text.Json.Nodes.JsonObject { ["model"] = "d", ["messages"] = new System.Text.Json.Nodes.JsonArray() });

        var promptTokens = firstUsage["prompt_tokens"]!.GetValue<int>();
        Assert.Equal(120_000 - (promptTokens + 100), long.Parse(Sim.Header(first, "x-ratelimit-remaining-tokens"), CultureInfo.InvariantCulture));
        Assert.Equal(599, long.Parse(Sim.Header(first, "x-ratelimit-remaining-requests"), CultureInfo.InvariantCulture));
        // No max_tokens: the default (4,096) is charged.
        Assert.Equal(120_000 - (promptTokens + 100) - (promptTokens + 4_096), long.Parse(Sim.Header(second, "x-ratelimit-remaining-tokens"), CultureInfo.InvariantCulture));
        Assert.Equal(598, long.Parse(Sim.Header(second, "x-ratelimit-remaining-requests"), CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.BadRequest, badRequest.StatusCode);
        Assert.Equal(120_000 - (2L * promptTokens) - 4_196, long.Parse(Sim.Header(badRequest, "x-ratelimit-remaining-tokens"), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task The_real_client_surfaces_429_with_its_headers_when_retries_are_off()
    {
        await using var server = await Sim.StartAsync(o => o.Deployments = [new DeploymentOptions("tiny", 1_200, 60)]);
        var chat = Sim.Azure(server).GetChatClient("tiny");
        var options = new ChatCompletionOptions { MaxOutputTokenCount = 150 };

        await chat.CompleteChatAsync([new UserChatMessage("one")], options);
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("two")], options));

        Assert.Equal(429, ex.Status);
        var headers = ex.GetRawResponse()!.Headers;
        Assert.True(headers.TryGetValue("retry-after-ms", out _));
        Assert.True(headers.TryGetValue("retry-after", out _));
        Assert.True(headers.TryGetValue("x-ratelimit-remaining-tokens", out _));
    }

    [Fact]
    public void Requests_are_limited_to_RPM_over_60_per_second()
    {
        var quota = new DeploymentQuota(tokensPerMinute: 1_000_000, requestsPerMinute: 120);
        var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var admitted = Enumerable.Range(0, 3).Select(_ => quota.TryAdmit(10, t0)).ToList();
        var nextSecond = quota.TryAdmit(10, t0.AddSeconds(1));

        Assert.Equal([true, true, false], admitted.Select(d => d.Admitted));
        Assert.Equal("requests", admitted[2].LimitKind);
        Assert.Equal(TimeSpan.FromSeconds(1), admitted[2].RetryAfter);
        Assert.True(nextSecond.Admitted);
    }

    [Fact]
    public void A_minute_never_admits_more_than_TPM_and_retry_after_points_at_the_first_moment_that_fits()
    {
        var quota = new DeploymentQuota(tokensPerMinute: 6_000, requestsPerMinute: 10_000);
        var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        long admittedTokens = 0;
        for (var ms = 0; ms < 60_000; ms += 250)
        {
            var decision = quota.TryAdmit(300, t0.AddMilliseconds(ms));
            admittedTokens += decision.Admitted ? 300 : 0;
            if (!decision.Admitted)
            {
                Assert.True(quota.TryAdmit(300, t0.AddMilliseconds(ms) + decision.RetryAfter - TimeSpan.FromMilliseconds(1)).Admitted == false);
            }
        }

        Assert.True(admittedTokens <= 6_000, $"admitted {admittedTokens}");
        Assert.True(admittedTokens >= 5_400, $"admitted {admittedTokens}, the budget should be nearly used");
    }

    [Fact]
    public void A_request_larger_than_the_window_budget_passes_only_into_an_empty_window()
    {
        var quota = new DeploymentQuota(tokensPerMinute: 600, requestsPerMinute: 600);
        var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var big = quota.TryAdmit(5_000, t0);
        var next = quota.TryAdmit(10, t0.AddSeconds(5));
        var later = quota.TryAdmit(10, t0.AddSeconds(10));

        Assert.True(big.Admitted);
        Assert.False(next.Admitted);
        Assert.Equal(TimeSpan.FromSeconds(5), next.RetryAfter);
        Assert.True(later.Admitted);
    }

    [Fact]
    public void A_request_counted_after_a_later_one_is_charged_when_that_one_was()
    {
        // 6,000 TPM: 1,000 tokens per 10 s. The second request arrived at 4 s but was counted after the first (5 s).
        var quota = new DeploymentQuota(tokensPerMinute: 6_000, requestsPerMinute: 10_000);
        var t0 = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.True(quota.TryAdmit(300, t0.AddSeconds(5)).Admitted);
        Assert.True(quota.TryAdmit(600, t0.AddSeconds(4)).Admitted);

        // At 14.5 s both are still in the window (900 tokens): charged at 4 s the 600 would have left it.
        var tooSoon = quota.TryAdmit(200, t0.AddSeconds(14.5));
        Assert.False(tooSoon.Admitted);
        Assert.Equal(TimeSpan.FromSeconds(0.5), tooSoon.RetryAfter);
        Assert.True(quota.TryAdmit(200, t0.AddSeconds(15)).Admitted);
    }
}
