using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;

namespace WildLong.Core.Model;

/// <summary>
/// The model client's meters (meter <see cref="MeterName"/>): logical calls, tokens billed, 429 answers, retries and
/// response-cache hits, each tagged with the pipeline stage. The Functions app exports them with its OpenTelemetry
/// setup, <c>wildlong … --metrics</c> prints them, and <c>dotnet-counters monitor --counters WildLong.Model</c> shows
/// them live for any WildLong process. The same name is the source of the model calls' traces
/// (<c>OpenTelemetryChatClient</c>, with the GenAI semantic conventions' duration and token histograms).
/// </summary>
/// <remarks>
/// Recorded by the process's <see cref="UsageLedger"/> (the one the client pipeline writes to), so the meters and the
/// cost report count the same events; the per-activity scope ledgers that copy those records have no meters, so
/// nothing is counted twice.
/// </remarks>
public sealed class ModelMetrics : IDisposable
{
    /// <summary>The meter and activity source name of the model client.</summary>
    public const string MeterName = "WildLong.Model";

    /// <summary>The tag naming the pipeline stage of a measurement.</summary>
    public const string StageTag = "wildlong.stage";

    /// <summary>The tag saying which tokens a token count is: <c>input</c>, <c>cached_input</c> or <c>output</c>.</summary>
    public const string TokenTypeTag = "gen_ai.token.type";

    /// <summary>The tag saying whether a logical call succeeded: <c>success</c> or <c>failure</c>.</summary>
    public const string OutcomeTag = "wildlong.outcome";

    private readonly Meter? ownMeter;
    private readonly Counter<long> calls;
    private readonly Counter<long> tokens;
    private readonly Counter<long> throttled;
    private readonly Counter<long> retries;
    private readonly Counter<long> cacheHits;

    /// <param name="meterFactory">The host's meter factory (null: a meter of this instance's own).</param>
    public ModelMetrics(IMeterFactory? meterFactory = null)
    {
        var meter = meterFactory?.Create(MeterName) ?? (ownMeter = new Meter(MeterName));
        calls = meter.CreateCounter<long>("wildlong.model.calls", "{call}", "Logical model calls (retries included in one call), by stage and outcome.");
        tokens = meter.CreateCounter<long>("wildlong.model.tokens", "{token}", "Tokens billed, by stage and token type.");
        throttled = meter.CreateCounter<long>("wildlong.model.throttled", "{response}", "Answers with status 429 (too many requests), by stage.");
        retries = meter.CreateCounter<long>("wildlong.model.retries", "{retry}", "Transport retries after a 408/429/5xx, a timeout or a network error, by stage.");
        cacheHits = meter.CreateCounter<long>("wildlong.model.cache_hits", "{call}", "Calls answered from the response cache (nothing billed), by stage.");
    }

    internal void RecordCall(string stage, UsageDetails? usage, bool failed)
    {
        calls.Add(1, new KeyValuePair<string, object?>(StageTag, stage), new KeyValuePair<string, object?>(OutcomeTag, failed ? "failure" : "success"));
        if (usage is null)
        {
            return;
        }

        AddTokens(stage, "input", (usage.InputTokenCount ?? 0) - (usage.CachedInputTokenCount ?? 0));
        AddTokens(stage, "cached_input", usage.CachedInputTokenCount ?? 0);
        AddTokens(stage, "output", usage.OutputTokenCount ?? 0);
    }

    internal void RecordThrottled(string stage) => throttled.Add(1, new KeyValuePair<string, object?>(StageTag, stage));

    internal void RecordRetry(string stage) => retries.Add(1, new KeyValuePair<string, object?>(StageTag, stage));

    internal void RecordCacheHit(string stage) => cacheHits.Add(1, new KeyValuePair<string, object?>(StageTag, stage));

    public void Dispose() => ownMeter?.Dispose();

    private void AddTokens(string stage, string type, long count)
    {
        if (count > 0)
        {
            var tags = new TagList { { StageTag, stage }, { TokenTypeTag, type } };
            tokens.Add(count, tags);
        }
    }
}
