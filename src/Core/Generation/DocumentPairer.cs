using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Instructions;

namespace WildLong.Core.Generation;

/// <summary>
/// Assigns each agnostic instruction the document(s) it will be grounded in. Single-document tasks follow the
/// length-bucket mix (configured, or by default spread evenly over the buckets the corpus can fill up to the target
/// context length), so the training set covers short and very long contexts as intended, not as the corpus happens
/// to be distributed; multi-document tasks draw several distinct documents of the same type (short, part-only
/// documents included) within a token budget. Every choice is a function of the seed and the batch's content,
/// never of its order.
/// </summary>
public sealed class DocumentPairer
{
    private readonly GenerationOptions options;
    private readonly ILogger<DocumentPairer> logger;

    public DocumentPairer(IOptions<GenerationOptions> options, ILogger<DocumentPairer> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.options.Validate();
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// The length mix single-document pairing aims for: the configured <see cref="GenerationOptions.LengthBucketMix"/>,
    /// or, when it is empty, equal weight on every bucket that holds a document usable on its own (not part-only,
    /// shorter than <see cref="GenerationOptions.MaxContextTokens"/>). Weights are normalized to sum to 1.
    /// </summary>
    public IReadOnlyDictionary<string, double> EffectiveMix(IReadOnlyList<IndexedDocument> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var raw = options.LengthBucketMix.Count > 0
            ? options.LengthBucketMix.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal)
            : catalog.Where(IsSingleCandidate).Select(d => d.LengthBucket).Distinct(StringComparer.Ordinal).ToDictionary(l => l, _ => 1.0, StringComparer.Ordinal);
        var total = raw.Values.Sum();
        return total <= 0
            ? new Dictionary<string, double>(StringComparer.Ordinal)
            : raw.ToDictionary(kv => kv.Key, kv => kv.Value / total, StringComparer.Ordinal);
    }

    /// <summary>
    /// The document types that can hold a multi-document task: at least <see cref="GenerationOptions.MinDocumentsPerTask"/>
    /// documents (part-only ones included) whose smallest ones fit the multi-document token budget together.
    /// Multi-document tasks are planned only for these types.
    /// </summary>
    public IReadOnlySet<string> MultiDocumentTypes(IReadOnlyList<IndexedDocument> catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var budget = MultiDocumentBudget;
        return catalog
            .DistinctBy(d => d.Id, StringComparer.Ordinal)
            .GroupBy(d => d.DocumentType, StringComparer.Ordinal)
            .Where(g => g.Count() >= options.MinDocumentsPerTask
                && g.Select(d => (long)d.Tokens).Order().Take(options.MinDocumentsPerTask).Sum() <= budget)
            .Select(g => g.Key)
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Pairs a batch of instructions with documents from <paramref name="catalog"/>. Single-document instructions are
    /// given length buckets so that the batch (plus <paramref name="keptBuckets"/>, the single-document pairs per bucket
    /// already kept by earlier rounds) follows <see cref="EffectiveMix"/> as closely as the documents of each
    /// instruction's type allow. The result depends on the batch's content, never on its order, and is sorted by
    /// <see cref="PlannedPair.GroupKey"/> (then instruction index), so all calls about one document are adjacent.
    /// </summary>
    public Task<BatchResult<PlannedPair>> PairAsync(
        IReadOnlyList<AgnosticInstruction> batch,
        IReadOnlyList<IndexedDocument> catalog,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, int>? keptBuckets = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(catalog);

        var byType = catalog
            .GroupBy(d => d.DocumentType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.Id, StringComparer.Ordinal).DistinctBy(d => d.Id, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var bucketRank = RankBuckets(catalog);
        var mix = EffectiveMix(catalog);
        var mixLabels = mix.Keys.Order(StringComparer.Ordinal).ToArray();
        var mixWeights = mixLabels.Select(l => mix[l]).ToArray();
        var assigned = mixLabels.ToDictionary(l => l, l => keptBuckets?.GetValueOrDefault(l) ?? 0, StringComparer.Ordinal);
        var assignedTotal = assigned.Values.Sum();

        var items = new List<PlannedPair>(batch.Count);
        var quarantined = new List<QuarantineEntry>();
        var ordered = batch
            .OrderBy(i => GenerationSeeds.Stream(options.Seed, "pairing-order", i.DocumentType, i.Index))
            .ThenBy(i => i.Id, StringComparer.Ordinal)
            .ThenBy(i => i.PathKey, StringComparer.Ordinal);
        foreach (var instruction in ordered)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!byType.TryGetValue(instruction.DocumentType, out var all))
            {
                quarantined.Add(QuarantineEntry.ForItem(StageNames.Pairing, instruction.Id,
                    $"no document of type '{instruction.DocumentType}' in the catalog"));
                continue;
            }

            var random = GenerationSeeds.Random(options.Seed, StageNames.Pairing, instruction.DocumentType, instruction.Index);
            if (instruction.IsMultiDocument)
            {
                var (pair, failure) = PlanMultiDocument(instruction, all, random);
                if (pair is not null)
                {
                    items.Add(pair);
                }
                else
                {
                    quarantined.Add(QuarantineEntry.ForItem(StageNames.Pairing, instruction.Id, failure!));
                }

                continue;
            }

            var candidates = all.Where(IsSingleCandidate).ToArray();
            if (candidates.Length == 0)
            {
                quarantined.Add(QuarantineEntry.ForItem(StageNames.Pairing, instruction.Id,
                    $"no document of type '{instruction.DocumentType}' is long enough for a single-document task and under {options.MaxContextTokens} tokens"));
                continue;
            }

            var single = PlanSingleDocument(instruction, candidates, random, mixLabels, mixWeights, assigned, assignedTotal, bucketRank);
            if (single.RequestedLengthBucket is { } requested && assigned.TryGetValue(requested, out var count))
            {
                assigned[requested] = count + 1;
                assignedTotal++;
            }

            items.Add(single);
        }

        var fallbacks = items.Count(p => p.UsedFallbackBucket);
        if (fallbacks > 0 && logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Pairing: {Fallbacks} of {Count} instructions used a nearby length bucket because their type has no document in any bucket of the mix",
                fallbacks, items.Count);
        }

        var sorted = items
            .OrderBy(p => p.GroupKey, StringComparer.Ordinal)
            .ThenBy(p => p.Instruction.Index)
            .ThenBy(p => p.Instruction.PathKey, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(new BatchResult<PlannedPair>(sorted, quarantined));
    }

    /// <summary>Single-document records per length bucket: what earlier rounds kept, for the next round's pairing.</summary>
    public static IReadOnlyDictionary<string, int> KeptSingleDocumentBuckets(IEnumerable<TrainingRecord> kept)
    {
        ArgumentNullException.ThrowIfNull(kept);
        return kept
            .Where(r => r.Meta.TaskKind == TaskKind.SingleDocument && r.Meta.LengthBuckets.Count > 0)
            .GroupBy(r => r.Meta.LengthBuckets[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    private long MultiDocumentBudget => Math.Min(options.MaxMultiDocumentContextTokens, options.MaxContextTokens);

    private bool IsSingleCandidate(IndexedDocument document) => !document.IsPartOnly && document.Tokens < options.MaxContextTokens;

    /// <summary>
    /// Gives the instruction the bucket of the mix that is furthest below its share so far among the buckets its type
    /// has documents in (largest deficit, ties at random); a type with no document in any bucket of the mix takes
    /// the bucket nearest to a randomly drawn one and is flagged.
    /// </summary>
    private static PlannedPair PlanSingleDocument(
        AgnosticInstruction instruction,
        IndexedDocument[] candidates,
        DeterministicRandom random,
        string[] mixLabels,
        double[] mixWeights,
        Dictionary<string, int> assigned,
        int assignedTotal,
        IReadOnlyDictionary<string, int> bucketRank)
    {
        if (mixLabels.Length == 0)
        {
            return new PlannedPair(instruction, TaskKind.SingleDocument, [candidates[random.NextInt(candidates.Length)]], null, false);
        }

        var tieBreak = random.NextDouble();
        string? best = null;
        var bestDeficit = double.NegativeInfinity;
        for (var i = 0; i < mixLabels.Length; i++)
        {
            var label = mixLabels[i];
            if (!candidates.Any(d => d.LengthBucket == label))
            {
                continue;
            }

            // Deficit against the share the bucket should hold once this item is placed; the tie-break rotates
            // equal deficits by a per-instruction offset so no bucket is favoured by name.
            var deficit = (mixWeights[i] * (assignedTotal + 1)) - assigned[label];
            var rotated = ((i / (double)mixLabels.Length) + tieBreak) % 1.0;
            if (deficit > bestDeficit + 1e-9 || (Math.Abs(deficit - bestDeficit) <= 1e-9 && rotated < RotatedOf(best, mixLabels, tieBreak)))
            {
                best = label;
                bestDeficit = deficit;
            }
        }

        if (best is not null)
        {
            var inBucket = candidates.Where(d => d.LengthBucket == best).ToArray();
            return new PlannedPair(instruction, TaskKind.SingleDocument, [inBucket[random.NextInt(inBucket.Length)]], best, false);
        }

        var requested = mixLabels[Math.Max(0, random.NextWeighted(mixWeights))];
        var nearest = NearestBucket(requested, candidates, bucketRank);
        return new PlannedPair(instruction, TaskKind.SingleDocument, [nearest[random.NextInt(nearest.Length)]], requested, true);
    }

    private static double RotatedOf(string? label, string[] labels, double tieBreak)
    {
        if (label is null)
        {
            return double.PositiveInfinity;
        }

        var index = Array.IndexOf(labels, label);
        return ((index / (double)labels.Length) + tieBreak) % 1.0;
    }

    /// <summary>The candidates in the bucket closest in length rank to <paramref name="requested"/> (ties: the shorter).</summary>
    private static IndexedDocument[] NearestBucket(string requested, IndexedDocument[] candidates, IReadOnlyDictionary<string, int> bucketRank)
    {
        if (!bucketRank.TryGetValue(requested, out var target))
        {
            // The label is unknown to the whole catalog, so there is no notion of "near": any document of the type.
            return candidates;
        }

        var best = candidates
            .Select(d => d.LengthBucket)
            .Distinct(StringComparer.Ordinal)
            .OrderBy(b => Math.Abs(bucketRank[b] - target))
            .ThenBy(b => bucketRank[b])
            .First();
        return candidates.Where(d => d.LengthBucket == best).ToArray();
    }

    /// <summary>Orders bucket labels by the median token count of their documents across the catalog.</summary>
    private static Dictionary<string, int> RankBuckets(IReadOnlyList<IndexedDocument> catalog)
        => catalog
            .GroupBy(d => d.LengthBucket, StringComparer.Ordinal)
            .Select(g =>
            {
                var tokens = g.Select(d => d.Tokens).Order().ToArray();
                return (Label: g.Key, Median: tokens[tokens.Length / 2]);
            })
            .OrderBy(b => b.Median)
            .ThenBy(b => b.Label, StringComparer.Ordinal)
            .Select((b, rank) => (b.Label, rank))
            .ToDictionary(b => b.Label, b => b.rank, StringComparer.Ordinal);

    /// <summary>
    /// Draws k distinct documents in random order, skipping any that would leave too little budget for the
    /// documents still needed (the smallest remaining ones), so a type whose small documents fit is never refused
    /// because a large one was drawn first.
    /// </summary>
    private (PlannedPair? Pair, string? Failure) PlanMultiDocument(AgnosticInstruction instruction, IndexedDocument[] candidates, DeterministicRandom random)
    {
        var wanted = random.NextInt(options.MinDocumentsPerTask, options.MaxDocumentsPerTask);
        var budget = MultiDocumentBudget;
        var shuffled = candidates.ToList();
        random.Shuffle(shuffled);
        var bySize = candidates.OrderBy(d => d.Tokens).ThenBy(d => d.Id, StringComparer.Ordinal).ToArray();

        var chosen = new List<IndexedDocument>(wanted);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        foreach (var document in shuffled)
        {
            if (chosen.Count == wanted)
            {
                break;
            }

            var stillNeeded = Math.Max(0, options.MinDocumentsPerTask - chosen.Count - 1);
            var reserve = bySize.Where(d => d.Id != document.Id && !taken.Contains(d.Id)).Take(stillNeeded).Sum(d => (long)d.Tokens);
            if (total + document.Tokens + reserve <= budget)
            {
                chosen.Add(document);
                taken.Add(document.Id);
                total += document.Tokens;
            }
        }

        if (chosen.Count < options.MinDocumentsPerTask)
        {
            return (null, $"a {instruction.TaskKind} task needs at least {options.MinDocumentsPerTask} documents of type '{instruction.DocumentType}' " +
                $"within {budget} tokens; no {options.MinDocumentsPerTask} of its {candidates.Length} documents fit together");
        }

        chosen.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return (new PlannedPair(instruction, instruction.TaskKind, chosen, null, false), null);
    }
}
