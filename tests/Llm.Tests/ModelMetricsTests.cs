using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Model;
using WildLong.Llm.Caching;
using WildLong.Llm.Tests.Support;
using WildLong.Simulator;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace WildLong.Llm.Tests;

/// <summary>
/// The model pipeline's telemetry: the <see cref="ModelMetrics"/> meters count what the cost report counts (the
/// ledger), per stage, and OpenTelemetryChatClient traces each model call that reached the model.
/// </summary>
public sealed class ModelMetricsTests
{
    [Fact]
    public async Task Meters_count_calls_tokens_429s_retries_and_cache_hits_per_stage_as_the_ledger_does_and_each_model_call_is_traced()
    {
        // Other tests of this process may record into meters of the same name: this test reads only its own stage
        // and its own trace.
        var stage = "metered-" + Guid.NewGuid().ToString("N");
        using var collector = new ModelMetricsCollector();
        using var testSource = new ActivitySource("WildLong.Llm.Tests.ModelMetrics");
        var spans = new ConcurrentBag<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ModelMetrics.MeterName || source == testSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(tracing);
        using var meters = new ModelMetrics();
        var ledger = new UsageLedger(meters);
        var cache = new ModelCacheLayer((inner, _) => new ResponseCachingChatClient(
            inner, new InMemoryResponseCacheStore(), Options.Create(new ResponseCacheOptions()), ledger, NullLogger<ResponseCachingChatClient>.Instance));

        // The client believes in twice the server's request quota (4 a second instead of 2), so a burst of 6 meets 429s.
        await using var harness = await ModelHarness.StartAsync(
            simulator: s => s.Deployments = [new DeploymentOptions("gpt-4o-mini", 5_000_000, 120)],
            model: m => (m.Tpm, m.Rpm) = (5_000_000, 240),
            ledger: ledger,
            cacheLayer: cache);
        using var run = testSource.StartActivity("test run");
        Assert.NotNull(run);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            harness.Caller.CompleteTextAsync(stage, [new ChatMessage(ChatRole.User, $"Summarise section {i} of the purchase agreement.")], 50, i, CancellationToken.None)));
        var again = await harness.Caller.CompleteTextAsync(stage, [new ChatMessage(ChatRole.User, "Summarise section 0 of the purchase agreement.")], 50, 0, CancellationToken.None);
        run.Stop();

        Assert.All(results, r => Assert.True(r.Success, r.FailureReason));
        Assert.True(again.Success, again.FailureReason);
        var usage = ledger.Snapshot()[stage];
        Assert.True(usage.Throttled >= 1, "the burst should have met at least one 429");
        Assert.Equal(1, usage.CacheHits);
        Assert.Equal(usage.Calls, collector.Sum("wildlong.model.calls", stage));
        Assert.Equal(6, collector.Sum("wildlong.model.calls", stage, "success")); // a cache hit is counted as a hit, not as a call
        Assert.Equal(usage.Throttled, collector.Sum("wildlong.model.throttled", stage));
        Assert.Equal(usage.Retries, collector.Sum("wildlong.model.retries", stage));
        Assert.Equal(1, collector.Sum("wildlong.model.cache_hits", stage));
        Assert.Equal(usage.InputTokens - usage.CachedInputTokens, collector.Sum("wildlong.model.tokens", stage, "input"));
        Assert.Equal(usage.OutputTokens, collector.Sum("wildlong.model.tokens", stage, "output"));
        Assert.True(usage.InputTokens > 0 && usage.OutputTokens > 0);
        Assert.Contains(stage, collector.ToTable(), StringComparison.Ordinal);

        // One span per call that reached the model (6), none for the cache hit, all in this test's trace.
        var modelSpans = spans.Where(s => s.Source.Name == ModelMetrics.MeterName && s.TraceId == run.TraceId).ToList();
        Assert.Equal(6, modelSpans.Count);
        Assert.All(modelSpans, s => Assert.Equal("gpt-4o-mini", s.GetTagItem("gen_ai.request.model")));
    }
}
