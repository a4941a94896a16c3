using System.Globalization;
using System.Text;

namespace WildLong.Llm.Costs;

/// <summary>
/// The money view of a run — per stage and in total, with the calls, retries, 429s and cache hits behind it, and for
/// batch work the discount taken off the list price — so the pipeline status and the CLI can show what a run costs
/// while it runs.
/// </summary>
public sealed record CostReport(string Currency, bool Batch, IReadOnlyList<StageCost> Stages, StageCost Total)
{
    /// <summary>A fixed-width table (one line per stage, then the total) for consoles and logs.</summary>
    public string ToTable()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        var discount = Batch ? $" {"batch discount",14}" : string.Empty;
        text.AppendLine(culture, $"{"stage",-22} {"calls",7} {"failed",6} {"retries",7} {"429s",6} {"cache",6} {"input",12} {"cached",12} {"output",10} {"cost " + Currency,14}{discount}");
        foreach (var row in Stages.Append(Total))
        {
            var u = row.Usage;
            var saved = Batch ? string.Create(culture, $" {row.BatchDiscount,14:0.000000}") : string.Empty;
            text.AppendLine(culture,
                $"{row.Stage,-22} {u.Calls,7} {u.FailedCalls,6} {u.Retries,7} {u.Throttled,6} {u.CacheHits,6} {u.InputTokens,12:N0} {u.CachedInputTokens,12:N0} {u.OutputTokens,10:N0} {row.Total,14:0.000000}{saved}");
        }

        return text.ToString();
    }
}
