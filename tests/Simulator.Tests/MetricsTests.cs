using System.Net;
using WildLong.Simulator.Tests.Support;

namespace WildLong.Simulator.Tests;

/// <summary>GET /metrics reports what the simulator admitted, served, throttled and cached.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Metrics_count_requests_tokens_and_throttling_per_run_and_per_minute()
    {
        var time = new ManualTimeProvider();
        await using var server = await Sim.StartAsync(o => o.Deployments = [new DeploymentOptions("m", 12_000, 600)], time);
        using var http = Sim.Http(server);
        using var anonymous = new HttpClient { BaseAddress = server.BaseAddress };

        var usages = new List<(int Prompt, int Completion)>();
        foreach (var question in new[] { "What is the rent?", "Who signs the lease?" })
        {
            using var ok = await Sim.PostChatAsync(http, Sim.ChatBody(question, "m", maxTokens: 800));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            var usage = (await Sim.ReadJsonAsync(ok))["usage"]!;
            usages.Add((usage["prompt_tokens"]!.GetValue<int>(), usage["completion_tokens"]!.GetValue<int>()));
        }

        using var throttled = await Sim.PostChatAsync(http, Sim.ChatBody("A third one", "m", maxTokens: 800));
        using var unauthorized = await Sim.PostChatAsync(anonymous, Sim.ChatBody("no key", "m"));
        var metrics = await Sim.MetricsOverHttpAsync(server);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        var totals = metrics.Totals;
        Assert.Equal((4L, 2L, 1L, 1L), (totals.Requests, totals.Completed, totals.Throttled, totals.Rejected));
        Assert.Equal(usages.Sum(u => u.Prompt + 800L), totals.TokensAdmitted);
        Assert.Equal(usages.Sum(u => (long)u.Prompt), totals.PromptTokensServed);
        Assert.Equal(usages.Sum(u => (long)u.Completion), totals.CompletionTokensServed);
        Assert.Equal((0L, 0L), (totals.CacheHits, totals.CachedTokens));
        var minute = Assert.Single(metrics.PerMinute);
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero), minute.Minute);
        Assert.Equal(totals with { Minute = minute.Minute, Faults = minute.Faults }, minute);
    }

    [Fact]
    public async Task Minutes_are_bucketed_by_the_clock()
    {
        var time = new ManualTimeProvider();
        await using var server = await Sim.StartAsync(time: time);
        using var http = Sim.Http(server);

        (await Sim.PostChatAsync(http, Sim.ChatBody("first minute"))).Dispose();
        time.Advance(TimeSpan.FromMinutes(1));
        (await Sim.PostChatAsync(http, Sim.ChatBody("second minute"))).Dispose();
        (await Sim.PostChatAsync(http, Sim.ChatBody("second minute again"))).Dispose();

        var perMinute = server.Metrics.Snapshot().PerMinute;
        Assert.Equal([1L, 2L], perMinute.Select(m => m.Requests));
        Assert.Equal(perMinute[0].Minute!.Value.AddMinutes(1), perMinute[1].Minute);
    }
}
