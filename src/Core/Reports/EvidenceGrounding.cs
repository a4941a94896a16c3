using System.Text;
using WildLong.Core.Generation;

namespace WildLong.Core.Reports;

/// <summary>
/// Accumulates the grounding figures over kept pairs (docs/quality-metrics.md): a cited passage of at least
/// <see cref="MinPassageChars"/> characters is found when, after whitespace normalization (runs of white space → one
/// space, trimmed) of both, it occurs verbatim in the cited document; its depth is its start offset ÷ the (normalized)
/// document's length, in 10 bins.
/// </summary>
public sealed class EvidenceGrounding
{
    public const int MinPassageChars = 20;

    public const int DepthBins = 10;

    private readonly long[] depth = new long[DepthBins];
    private long passages;
    private long found;
    private long shortPassages;
    private long pairsWithCitations;
    private long unreadable;

    public void Add(TrainingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var citations = record.Meta.Citations;
        if (citations is not { Count: > 0 })
        {
            return;
        }

        pairsWithCitations++;
        IReadOnlyList<string>? documents = null;
        var normalized = new Dictionary<int, string>();
        foreach (var citation in citations)
        {
            var quote = Normalize(citation.Quote);
            if (quote.Length < MinPassageChars)
            {
                shortPassages++;
                continue;
            }

            passages++;
            documents ??= RenderedDocuments.Split(record);
            if (documents is null)
            {
                unreadable++;
                continue;
            }

            if (citation.Document < 1 || citation.Document > documents.Count)
            {
                continue;
            }

            if (!normalized.TryGetValue(citation.Document, out var document))
            {
                normalized[citation.Document] = document = Normalize(documents[citation.Document - 1]);
            }

            var offset = document.IndexOf(quote, StringComparison.Ordinal);
            if (offset < 0)
            {
                continue;
            }

            found++;
            depth[Math.Min(DepthBins - 1, (int)((double)offset / document.Length * DepthBins))]++;
        }
    }

    public GroundingReport Result()
    {
        var evidence = passages == 0
            ? ReportMetric.Missing(pairsWithCitations == 0 ? "no kept pair cites a passage" : $"no cited passage has {MinPassageChars} characters or more")
            : ReportMetric.Of((double)found / passages, passages);
        var reason = found > 0 ? null
            : passages == 0 ? evidence.Reason
            : "no cited passage was found in its document";
        return new GroundingReport(evidence, pairsWithCitations, shortPassages, found > 0 ? depth.ToArray() : [], reason, unreadable);
    }

    /// <summary>Runs of white space become one space; leading and trailing white space is dropped.</summary>
    public static string Normalize(string? text)
    {
        var builder = new StringBuilder((text ?? string.Empty).Length);
        var space = false;
        foreach (var c in text ?? string.Empty)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
