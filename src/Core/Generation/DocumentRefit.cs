using WildLong.Core.Documents;

namespace WildLong.Core.Generation;

/// <summary>
/// Chooses other document(s) of the same type for a pair whose instruction did not fit: one untried document (same
/// length bucket first, so the planned length mix holds) for a single-document task; for a multi-document task a
/// new set of the same size within the token budget, preferring untried documents. Deterministic in (seed, pair,
/// attempt), so re-pairing does not depend on batch order.
/// </summary>
internal static class DocumentRefit
{
    public const string Purpose = "refit";

    public static PlannedPair? Choose(PlannedPair plan, IReadOnlyList<IndexedDocument> candidates, IReadOnlySet<string> tried, int attempt, GenerationOptions options)
    {
        var pool = candidates
            .Where(d => d.DocumentType == plan.Instruction.DocumentType)
            .DistinctBy(d => d.Id, StringComparer.Ordinal)
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
        var random = GenerationSeeds.Random(options.Seed, Purpose, plan.Instruction.Id, attempt);
        if (plan.Documents.Count == 1)
        {
            var untried = pool.Where(d => !tried.Contains(d.Id)).ToList();
            if (untried.Count == 0)
            {
                return null;
            }

            var sameBucket = untried.Where(d => d.LengthBucket == plan.Documents[0].LengthBucket).ToList();
            var from = sameBucket.Count > 0 ? sameBucket : untried;
            return plan with { Documents = [from[random.NextInt(from.Count)]] };
        }

        var fresh = pool.Where(d => !tried.Contains(d.Id)).ToList();
        var old = pool.Where(d => tried.Contains(d.Id)).ToList();
        random.Shuffle(fresh);
        random.Shuffle(old);
        var chosen = new List<IndexedDocument>(plan.Documents.Count);
        long total = 0;
        foreach (var document in fresh.Concat(old))
        {
            if (chosen.Count == plan.Documents.Count)
            {
                break;
            }

            if (total + document.Tokens <= options.MaxMultiDocumentContextTokens)
            {
                chosen.Add(document);
                total += document.Tokens;
            }
        }

        // A set with no untried document would repeat a misfit the model already judged.
        if (chosen.Count < options.MinDocumentsPerTask || chosen.All(d => tried.Contains(d.Id)))
        {
            return null;
        }

        chosen.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return plan with { Documents = chosen };
    }
}
