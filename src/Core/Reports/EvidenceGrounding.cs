using System.Buffers;
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

    public void Add(TrainingRecord record) => Add(Measure(record));

    /// <summary>Adds what <see cref="Measure"/> found in one pair (measuring is the costly part and may run on any thread; adding is cheap).</summary>
    public void Add(PairGrounding pair)
    {
        if (!pair.HasCitations)
        {
            return;
        }

        pairsWithCitations++;
        passages += pair.Passages;
        found += pair.Found;
        shortPassages += pair.ShortPassages;
        unreadable += pair.Unreadable;
        foreach (var bin in pair.DepthBins)
        {
            depth[bin]++;
        }
    }

    /// <summary>Checks one pair's cited passages against its documents as rendered in its user turn.</summary>
    public static PairGrounding Measure(TrainingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var citations = record.Meta.Citations;
        if (citations is not { Count: > 0 })
        {
            return PairGrounding.None;
        }

        int passages = 0, found = 0, shortPassages = 0, unreadable = 0;
        var bins = new List<int>(citations.Count);
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
            bins.Add(Math.Min(DepthBins - 1, (int)((double)offset / document.Length * DepthBins)));
        }

        return new PairGrounding(true, passages, found, shortPassages, unreadable, bins);
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
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        // One pass into a pooled buffer (documents are tens of thousands of characters, and every pair's are normalized).
        var buffer = ArrayPool<char>.Shared.Rent(text.Length);
        try
        {
            var length = 0;
            var space = false;
            foreach (var c in text)
            {
                if (char.IsWhiteSpace(c))
                {
                    space = length > 0;
                    continue;
                }

                if (space)
                {
                    buffer[length++] = ' ';
                    space = false;
                }

                buffer[length++] = c;
            }

            return text.AsSpan().SequenceEqual(buffer.AsSpan(0, length)) ? text : new string(buffer, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }
}
