using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Instructions;

namespace WildLong.Core.Generation;

/// <summary>
/// Assigns each agnostic instruction the document(s) it will be grounded in. Single-document tasks follow the
/// configured length-bucket mix (so the training set covers short and very long contexts as intended, not as the
/// corpus happens to be distributed); multi-document tasks draw several distinct documents of the same type within
/// a token budget. Every choice is a function of (seed, instruction), never of batch order.
/// </summary>
public sealed class DocumentPairer
{
    public const string StageName = "pairing";

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
    /// Pairs a batch of instructions with documents from <paramref name="catalog"/>. The result is sorted by
    /// <see cref="PlannedPair.GroupKey"/> (then instruction index), so all calls about one document are adjacent.
    /// </summary>
    public Task<BatchResult<PlannedPair>> PairAsync(IReadOnlyList<AgnosticInstruction> batch, IReadOnlyList<IndexedDocument> catalog, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(catalog);

        var byType = catalog
            .GroupBy(d => d.DocumentType, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.Id, StringComparer.Ordinal).DistinctBy(d => d.Id, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var bucketRank = RankBuckets(catalog);
        var mixLabels = options.LengthBucketMix.Keys.Order(StringComparer.Ordinal).ToArray();
        var mixWeights = mixLabels.Select(l => options.LengthBucketMix[l]).ToArray();

        var items = new List<PlannedPair>(batch.Count);
        var quarantined = new List<QuarantineEntry>();
        foreach (var instruction in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!byType.TryGetValue(instruction.DocumentType, out var candidates))
            {
                quarantined.Add(QuarantineEntry.ForItem(StageName, instruction.Id,
                    $"no document of type '{instruction.DocumentType}' in the catalog"));
                continue;
            }

            var random = GenerationSeeds.Random(options.Seed, StageName, instruction.DocumentType, instruction.Index);
            var (pair, failure) = instruction.IsMultiDocument
                ? PlanMultiDocument(instruction, candidates, random)
                : (PlanSingleDocument(instruction, candidates, random, mixLabels, mixWeights, bucketRank), null);
            if (pair is not null)
            {
                items.Add(pair);
            }
            else
            {
                quarantined.Add(QuarantineEntry.ForItem(StageName, instruction.Id, failure!));
            }
        }

        var fallbacks = items.Count(p => p.UsedFallbackBucket);
        if (fallbacks > 0 && logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("Pairing: {Fallbacks} of {Count} instructions used a nearby length bucket because the requested one had no document of their type",
                fallbacks, items.Count);
        }

        var sorted = items
            .OrderBy(p => p.GroupKey, StringComparer.Ordinal)
            .ThenBy(p => p.Instruction.Index)
            .ThenBy(p => p.Instruction.PathKey, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(new BatchResult<PlannedPair>(sorted, quarantined));
    }

    private static PlannedPair PlanSingleDocument(
        AgnosticInstruction instruction,
        IndexedDocument[] candidates,
        DeterministicRandom random,
        string[] mixLabels,
        double[] mixWeights,
        IReadOnlyDictionary<string, int> bucketRank)
    {
        var pick = random.NextWeighted(mixWeights);
        if (pick < 0)
        {
            return new PlannedPair(instruction, TaskKind.SingleDocument, [candidates[random.NextInt(candidates.Length)]], null, false);
        }

        var requested = mixLabels[pick];
        var inBucket = candidates.Where(d => d.LengthBucket == requested).ToArray();
        var fallback = false;
        if (inBucket.Length == 0)
        {
            fallback = true;
            inBucket = NearestBucket(requested, candidates, bucketRank);
        }

        return new PlannedPair(instruction, TaskKind.SingleDocument, [inBucket[random.NextInt(inBucket.Length)]], requested, fallback);
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

    private (PlannedPair? Pair, string? Failure) PlanMultiDocument(AgnosticInstruction instruction, IndexedDocument[] candidates, DeterministicRandom random)
    {
        var wanted = random.NextInt(options.MinDocumentsPerTask, options.MaxDocumentsPerTask);
        var shuffled = candidates.ToList();
        random.Shuffle(shuffled);

        var chosen = new List<IndexedDocument>(wanted);
        long total = 0;
        foreach (var document in shuffled)
        {
            if (chosen.Count == wanted)
            {
                break;
            }

            if (total + document.Tokens <= options.MaxMultiDocumentContextTokens)
            {
                chosen.Add(document);
                total += document.Tokens;
            }
        }

        if (chosen.Count < options.MinDocumentsPerTask)
        {
            return (null, $"a {instruction.TaskKind} task needs at least {options.MinDocumentsPerTask} documents of type '{instruction.DocumentType}' " +
                $"within {options.MaxMultiDocumentContextTokens} tokens; only {chosen.Count} of {candidates.Length} fit");
        }

        chosen.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return (new PlannedPair(instruction, instruction.TaskKind, chosen, null, false), null);
    }
}
