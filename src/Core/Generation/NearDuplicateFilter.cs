using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Instructions;

namespace WildLong.Core.Generation;

/// <summary>
/// Removes near-duplicate instructions: graph paths that differ in minor values often yield almost the same request,
/// and repeated requests waste generation budget and skew training. Uses MinHash signatures over word shingles with
/// LSH banding to find candidates cheaply, then verifies each candidate with the exact Jaccard similarity of the
/// shingle sets. Deterministic: in input order, an item is dropped when it is similar enough to an item already
/// kept, so the first of each near-duplicate group survives.
/// Filtering is within one batch; a run-wide pass can reuse <see cref="Shingles"/> and <see cref="Signature"/>.
/// </summary>
public sealed class NearDuplicateFilter
{
    private readonly GenerationOptions options;
    private readonly int rowsPerBand;

    public NearDuplicateFilter(IOptions<GenerationOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.options.Validate();
        rowsPerBand = this.options.DedupMinHashFunctions / this.options.DedupLshBands;
    }

    /// <summary>Filters any items by the text <paramref name="textOf"/> gives; <paramref name="idOf"/> names them in the report.</summary>
    public DeduplicationResult<T> Filter<T>(IReadOnlyList<T> items, Func<T, string> idOf, Func<T, string> textOf, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(idOf);
        ArgumentNullException.ThrowIfNull(textOf);

        var kept = new List<T>(items.Count);
        var removed = new List<NearDuplicate>();
        var keptShingles = new Dictionary<int, HashSet<ulong>>();
        var buckets = new Dictionary<(int Band, ulong Key), List<int>>();
        for (var position = 0; position < items.Count; position++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var item = items[position];
            var shingles = Shingles(textOf(item));
            if (shingles.Count == 0)
            {
                kept.Add(item);
                continue;
            }

            var bandKeys = BandKeys(Signature(shingles));
            var candidates = new SortedSet<int>();
            for (var band = 0; band < bandKeys.Length; band++)
            {
                if (buckets.TryGetValue((band, bandKeys[band]), out var members))
                {
                    candidates.UnionWith(members);
                }
            }

            var best = -1;
            var bestSimilarity = 0.0;
            foreach (var candidate in candidates)
            {
                var similarity = Jaccard(shingles, keptShingles[candidate]);
                if (similarity >= options.DedupJaccardThreshold && similarity > bestSimilarity)
                {
                    best = candidate;
                    bestSimilarity = similarity;
                }
            }

            if (best >= 0)
            {
                removed.Add(new NearDuplicate(idOf(item), position, idOf(items[best]), best, bestSimilarity));
                continue;
            }

            kept.Add(item);
            keptShingles[position] = shingles;
            for (var band = 0; band < bandKeys.Length; band++)
            {
                var key = (band, bandKeys[band]);
                if (!buckets.TryGetValue(key, out var members))
                {
                    buckets[key] = members = [];
                }

                members.Add(position);
            }
        }

        return new DeduplicationResult<T>(kept, removed);
    }

    /// <summary>Drops training records whose adapted instructions are near-duplicates; each drop is quarantined with its reason.</summary>
    public Task<BatchResult<TrainingRecord>> FilterAsync(IReadOnlyList<TrainingRecord> batch, CancellationToken cancellationToken)
        => Task.FromResult(ToBatch(Filter(batch, r => r.Meta.Id, r => r.Instruction, cancellationToken), QuarantineEntry.PairItem));

    /// <summary>Drops near-duplicate agnostic instructions before any document is paired with them.</summary>
    public Task<BatchResult<AgnosticInstruction>> FilterInstructionsAsync(IReadOnlyList<AgnosticInstruction> batch, CancellationToken cancellationToken)
        => Task.FromResult(ToBatch(Filter(batch, i => i.Id, i => i.Text, cancellationToken), QuarantineEntry.InstructionItem));

    /// <summary>
    /// Runs <paramref name="filter"/> over what was kept before plus the new items and returns the new items that
    /// survive, with what the filter removed; earlier items always win, so a later round never displaces what an
    /// earlier one kept. Shared by the in-process runner and the durable pipeline's per-round steps.
    /// </summary>
    public static async Task<BatchResult<T>> KeepNewAsync<T>(
        IReadOnlyList<T> earlier,
        IReadOnlyList<T> added,
        Func<IReadOnlyList<T>, CancellationToken, Task<BatchResult<T>>> filter,
        CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(filter);
        var result = await filter([.. earlier, .. added], cancellationToken);
        var survivors = result.Items.ToHashSet(ReferenceEqualityComparer.Instance);
        return new BatchResult<T>([.. added.Where(survivors.Contains)], result.Quarantined);
    }

    /// <summary>
    /// The set of hashed word shingles of <paramref name="text"/>: lower-cased runs of letters and digits, taken
    /// <see cref="GenerationOptions.DedupShingleSize"/> at a time (a shorter text is one shingle).
    /// </summary>
    public HashSet<ulong> Shingles(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = Words(text);
        var result = new HashSet<ulong>();
        if (words.Count == 0)
        {
            return result;
        }

        var size = Math.Min(options.DedupShingleSize, words.Count);
        for (var start = 0; start + size <= words.Count; start++)
        {
            result.Add(StableHash.Hash64(string.Join(' ', words.Skip(start).Take(size))));
        }

        return result;
    }

    /// <summary>The MinHash signature: per hash function i, the minimum of <c>Mix(shingle, i)</c> over the shingles.</summary>
    public ulong[] Signature(IReadOnlySet<ulong> shingles)
    {
        ArgumentNullException.ThrowIfNull(shingles);
        var signature = new ulong[options.DedupMinHashFunctions];
        Array.Fill(signature, ulong.MaxValue);
        foreach (var shingle in shingles)
        {
            for (var i = 0; i < signature.Length; i++)
            {
                var value = StableHash.Mix(shingle, (ulong)i);
                if (value < signature[i])
                {
                    signature[i] = value;
                }
            }
        }

        return signature;
    }

    public static double Jaccard(IReadOnlySet<ulong> a, IReadOnlySet<ulong> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count == 0 && b.Count == 0)
        {
            return 1;
        }

        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var intersection = small.Count(large.Contains);
        return (double)intersection / (a.Count + b.Count - intersection);
    }

    private ulong[] BandKeys(ulong[] signature)
    {
        var keys = new ulong[options.DedupLshBands];
        for (var band = 0; band < keys.Length; band++)
        {
            var key = (ulong)band;
            for (var row = 0; row < rowsPerBand; row++)
            {
                key = StableHash.Mix(key ^ signature[(band * rowsPerBand) + row], (ulong)row);
            }

            keys[band] = key;
        }

        return keys;
    }

    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    private BatchResult<T> ToBatch<T>(DeduplicationResult<T> result, string itemKind)
        => new(result.Kept, [.. result.Removed.Select(r => QuarantineEntry.ForItem(StageNames.NearDuplicateFilter, r.ItemId,
            string.Create(CultureInfo.InvariantCulture, $"near-duplicate of '{r.DuplicateOfId}' (Jaccard {r.Similarity:0.000} >= {options.DedupJaccardThreshold:0.###})")) with { ItemKind = itemKind })]);
}
