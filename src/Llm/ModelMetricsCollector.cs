using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using WildLong.Core.Model;

namespace WildLong.Llm;

/// <summary>
/// Sums this process's <see cref="ModelMetrics"/> counters by instrument and stage from the moment it is created, with
/// a <see cref="MeterListener"/> — what <c>wildlong … --metrics</c> prints when a command ends. Every meter named
/// <see cref="ModelMetrics.MeterName"/> is read, whichever factory created it.
/// </summary>
public sealed class ModelMetricsCollector : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string Stage, string Detail), long> sums = new();

    public ModelMetricsCollector()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ModelMetrics.MeterName && instrument is Counter<long>)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>(OnMeasurement);
        listener.Start();
    }

    /// <summary>The sum of <paramref name="instrument"/> (e.g. <c>wildlong.model.calls</c>) for <paramref name="stage"/>
    /// (null: every stage) and, when given, one value of its second tag (outcome or token type).</summary>
    public long Sum(string instrument, string? stage = null, string? detail = null)
        => sums.Where(kv => kv.Key.Instrument == instrument && (stage is null || kv.Key.Stage == stage) && (detail is null || kv.Key.Detail == detail))
            .Sum(kv => kv.Value);

    /// <summary>One row per stage: calls (failed), input / cached input / output tokens, 429s, retries, cache hits.</summary>
    public string ToTable()
    {
        var stages = sums.Keys.Select(k => k.Stage).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Model meters of this process ({ModelMetrics.MeterName})");
        text.AppendLine("stage                     calls  failed  input tokens  cached input  output tokens   429s  retries  cache hits");
        foreach (var stage in stages.Append(null))
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{stage ?? "total",-24} {Sum("wildlong.model.calls", stage),6} {Sum("wildlong.model.calls", stage, "failure"),7} {Sum("wildlong.model.tokens", stage, "input"),13:N0} {Sum("wildlong.model.tokens", stage, "cached_input"),13:N0} {Sum("wildlong.model.tokens", stage, "output"),14:N0} {Sum("wildlong.model.throttled", stage),6} {Sum("wildlong.model.retries", stage),8} {Sum("wildlong.model.cache_hits", stage),11}"));
        }

        return text.ToString();
    }

    public void Dispose() => listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string stage = "unknown", detail = string.Empty;
        foreach (var tag in tags)
        {
            if (tag.Key == ModelMetrics.StageTag)
            {
                stage = tag.Value as string ?? stage;
            }
            else if (tag.Key is ModelMetrics.OutcomeTag or ModelMetrics.TokenTypeTag)
            {
                detail = tag.Value as string ?? detail;
            }
        }

        sums.AddOrUpdate((instrument.Name, stage, detail), value, (_, sum) => sum + value);
    }
}
