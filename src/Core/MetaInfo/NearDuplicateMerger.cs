using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WildLong.Core.MetaInfo;

/// <summary>
/// Merges near-duplicate values of each field ("summarise key points" / "summarize key points") into one canonical
/// value, named after the most frequent surface form. This needs global counts, so it runs once over all values
/// (e.g. the graphs' node counts) and produces a <see cref="ValueMergeMap"/> that is then applied to every graph and
/// record. Similarity is lexical by default; with an <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> configured,
/// cosine similarity of embeddings is used as well. The result does not depend on input order: values are visited
/// by descending count, ties by ordinal, and each joins the most similar earlier canonical value (star clustering,
/// so chains of small differences cannot drift far from the canonical value).
/// <para>Fields with a vocabulary (see <see cref="MetaInfoField.Vocabulary"/>) are merged differently: vocabulary
/// entries stay as they are; each <c>other: …</c> value first joins the vocabulary entry it paraphrases (lexical, or
/// cosine ≥ <see cref="NearDuplicateMergeOptions.VocabularyThreshold"/>), then the rest cluster among themselves as
/// above; a cluster seen in at least <see cref="NearDuplicateMergeOptions.MinOtherCount"/> records becomes a
/// canonical value of its own (its free text), the others fold into <c>other</c>.</para>
/// </summary>
public sealed class NearDuplicateMerger
{
    private readonly NearDuplicateMergeOptions options;
    private readonly ILogger<NearDuplicateMerger> logger;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? embeddings;
    private readonly Dictionary<string, IReadOnlyList<string>> vocabularies;

    public NearDuplicateMerger(
        IOptions<NearDuplicateMergeOptions> options,
        ILogger<NearDuplicateMerger> logger,
        IEmbeddingGenerator<string, Embedding<float>>? embeddings = null,
        MetaInfoSchema? schema = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.options.Validate();
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        this.embeddings = this.options.UseEmbeddings ? embeddings : null;
        vocabularies = (schema?.ValueFields ?? []).Where(f => f.HasVocabulary).ToDictionary(f => f.Name, f => f.Vocabulary!, StringComparer.Ordinal);
        if (!this.options.UseLexical && this.embeddings is null)
        {
            throw new ArgumentException("near-duplicate merging needs lexical similarity or an embedding generator", nameof(options));
        }
    }

    /// <summary>Counts the values of each field over records (the input of <see cref="BuildAsync"/> when no graph counts exist).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> CountValues(IEnumerable<MetaInfoRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var counts = new Dictionary<string, Dictionary<string, long>>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            foreach (var (field, values) in record.Fields)
            {
                if (!counts.TryGetValue(field, out var perField))
                {
                    counts[field] = perField = new Dictionary<string, long>(StringComparer.Ordinal);
                }

                foreach (var value in values)
                {
                    perField[value] = perField.GetValueOrDefault(value) + 1;
                }
            }
        }

        return counts.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, long>)kv.Value, StringComparer.Ordinal);
    }

    /// <summary>Whether embeddings take part in merging (a generator is registered and not switched off).</summary>
    public bool UsesEmbeddings => embeddings is not null;

    /// <summary>Builds the merge map from value counts per field.</summary>
    public async Task<ValueMergeMap> BuildAsync(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> countsByField, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(countsByField);
        var merges = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var field in countsByField.Keys.Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ordered = countsByField[field]
                .Where(kv => !string.IsNullOrWhiteSpace(kv.Key))
                .OrderByDescending(kv => kv.Value)
                .ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => kv.Key)
                .ToList();
            Dictionary<string, string> map;
            if (vocabularies.TryGetValue(field, out var vocabulary))
            {
                map = await MergeVocabularyFieldAsync(ordered, countsByField[field], vocabulary, cancellationToken);
            }
            else
            {
                var vectors = embeddings is null ? null : await EmbedAsync(ordered, cancellationToken);
                map = MergeField(ordered, vectors);
            }

            merges[field] = map;
            if (map.Count > 0 && logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("Field {Field}: merged {Merged} of {Values} values", field, map.Count, ordered.Count);
            }
        }

        return new ValueMergeMap(merges);
    }

    /// <summary>The largest merges of <paramref name="map"/> per field (<see cref="NearDuplicateMergeOptions.TopMergesPerField"/>), for the manifest.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ValueMerge>> TopMerges(ValueMergeMap map, IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> countsByField)
    {
        ArgumentNullException.ThrowIfNull(map);
        return map.TopMerges(countsByField, options.TopMergesPerField);
    }

    /// <summary>Lexical similarity in [0, 1]: the larger of character-trigram Jaccard and word Jaccard.</summary>
    public static double LexicalSimilarity(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Math.Max(Jaccard(Trigrams(a), Trigrams(b)), Jaccard(Words(a), Words(b)));
    }

    /// <summary>
    /// Merges the <c>other: …</c> values of a vocabulary field (<paramref name="ordered"/> by descending count):
    /// into the vocabulary entry they paraphrase, else into recurring clusters that become values of their own, else
    /// into <c>other</c>. Vocabulary entries and <c>other</c> itself are left as they are.
    /// </summary>
    private async Task<Dictionary<string, string>> MergeVocabularyFieldAsync(
        List<string> ordered, IReadOnlyDictionary<string, long> counts, IReadOnlyList<string> vocabulary, CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var others = ordered.Where(v => v.StartsWith(MetaInfoField.OtherPrefix, StringComparison.Ordinal)).ToList();
        if (others.Count == 0)
        {
            return map;
        }

        var texts = others.Select(v => v[MetaInfoField.OtherPrefix.Length..].Trim()).ToList();
        float[][]? entryVectors = null;
        float[][]? textVectors = null;
        if (embeddings is not null)
        {
            var all = await EmbedAsync([.. vocabulary, .. texts], cancellationToken);
            entryVectors = all[..vocabulary.Count];
            textVectors = all[vocabulary.Count..];
        }

        var entries = vocabulary.Select((e, i) => new Candidate(e, Trigrams(e), Words(e), Digits(e), entryVectors?[i])).ToList();
        var remaining = new List<int>();
        for (var i = 0; i < others.Count; i++)
        {
            var candidate = new Candidate(texts[i], Trigrams(texts[i]), Words(texts[i]), Digits(texts[i]), textVectors?[i]);
            var entry = FindEntry(candidate, entries);
            if (entry is not null)
            {
                map[others[i]] = entry;
            }
            else
            {
                remaining.Add(i);
            }
        }

        var clusterOf = MergeField([.. remaining.Select(i => texts[i])], textVectors is null ? null : [.. remaining.Select(i => textVectors[i])]);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var i in remaining)
        {
            var head = clusterOf.GetValueOrDefault(texts[i], texts[i]);
            totals[head] = totals.GetValueOrDefault(head) + counts.GetValueOrDefault(others[i]);
        }

        foreach (var i in remaining)
        {
            var head = clusterOf.GetValueOrDefault(texts[i], texts[i]);
            var target = options.MinOtherCount > 0 && totals[head] < options.MinOtherCount ? MetaInfoField.OtherValue : head;
            if (!string.Equals(target, others[i], StringComparison.Ordinal))
            {
                map[others[i]] = target;
            }
        }

        return map;
    }

    /// <summary>The vocabulary entry a free-text value paraphrases, or null.</summary>
    private string? FindEntry(Candidate candidate, List<Candidate> entries)
    {
        string? best = null;
        var bestScore = 0.0;
        foreach (var entry in entries)
        {
            if (options.RequireSameDigits && candidate.Digits.Length > 0 && candidate.Digits != entry.Digits)
            {
                continue;
            }

            var lexical = options.UseLexical ? Math.Max(Jaccard(candidate.Trigrams, entry.Trigrams), Jaccard(candidate.Words, entry.Words)) : 0;
            var score = lexical >= options.LexicalThreshold ? lexical : 0;
            if (candidate.Vector is not null && entry.Vector is not null)
            {
                var cosine = Dot(candidate.Vector, entry.Vector);
                if (cosine >= options.VocabularyThreshold)
                {
                    score = Math.Max(score, cosine);
                }
            }

            if (score > bestScore)
            {
                best = entry.Value;
                bestScore = score;
            }
        }

        return best;
    }

    private Dictionary<string, string> MergeField(List<string> ordered, float[][]? vectors)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var canonicals = new List<Candidate>();
        var trigramIndex = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < ordered.Count; i++)
        {
            var value = ordered[i];
            var candidate = new Candidate(value, Trigrams(value), Words(value), Digits(value), vectors?[i]);
            var best = FindBest(candidate, canonicals, trigramIndex);
            if (best >= 0)
            {
                map[value] = canonicals[best].Value;
                continue;
            }

            foreach (var trigram in candidate.Trigrams)
            {
                if (!trigramIndex.TryGetValue(trigram, out var list))
                {
                    trigramIndex[trigram] = list = [];
                }

                list.Add(canonicals.Count);
            }

            canonicals.Add(candidate);
        }

        return map;
    }

    private int FindBest(Candidate candidate, List<Candidate> canonicals, Dictionary<string, List<int>> trigramIndex)
    {
        var best = -1;
        var bestScore = 0.0;

        void Consider(int index, double score)
        {
            if (score > bestScore || (score == bestScore && best >= 0 && index < best))
            {
                best = index;
                bestScore = score;
            }
        }

        bool Allowed(Candidate other) => !options.RequireSameDigits || candidate.Digits == other.Digits;

        if (options.UseLexical)
        {
            // Only canonical values sharing a trigram can reach any positive similarity.
            var seen = new HashSet<int>();
            foreach (var trigram in candidate.Trigrams)
            {
                if (!trigramIndex.TryGetValue(trigram, out var list))
                {
                    continue;
                }

                foreach (var index in list)
                {
                    if (!seen.Add(index) || !Allowed(canonicals[index]))
                    {
                        continue;
                    }

                    var other = canonicals[index];
                    var score = Math.Max(Jaccard(candidate.Trigrams, other.Trigrams), Jaccard(candidate.Words, other.Words));
                    if (score >= options.LexicalThreshold)
                    {
                        Consider(index, score);
                    }
                }
            }
        }

        if (candidate.Vector is not null)
        {
            for (var index = 0; index < canonicals.Count; index++)
            {
                var other = canonicals[index];
                if (other.Vector is null || !Allowed(other))
                {
                    continue;
                }

                var score = Dot(candidate.Vector, other.Vector);
                if (score >= options.EmbeddingThreshold)
                {
                    Consider(index, score);
                }
            }
        }

        return best;
    }

    private async Task<float[][]> EmbedAsync(List<string> values, CancellationToken cancellationToken)
    {
        var result = new float[values.Count][];
        var batchSize = Math.Max(1, options.EmbeddingBatchSize);
        for (var start = 0; start < values.Count; start += batchSize)
        {
            var chunk = values.GetRange(start, Math.Min(batchSize, values.Count - start));
            var generated = await embeddings!.GenerateAsync(chunk, options: null, cancellationToken);
            if (generated.Count != chunk.Count)
            {
                throw new InvalidOperationException($"the embedding generator returned {generated.Count} embeddings for {chunk.Count} values");
            }

            for (var i = 0; i < chunk.Count; i++)
            {
                result[start + i] = Normalize(generated[i].Vector.Span);
            }
        }

        return result;
    }

    private static float[] Normalize(ReadOnlySpan<float> vector)
    {
        double norm = 0;
        foreach (var x in vector)
        {
            norm += (double)x * x;
        }

        norm = Math.Sqrt(norm);
        var unit = new float[vector.Length];
        if (norm > 0)
        {
            for (var i = 0; i < vector.Length; i++)
            {
                unit[i] = (float)(vector[i] / norm);
            }
        }

        return unit;
    }

    private static double Dot(float[] a, float[] b)
    {
        if (a.Length != b.Length)
        {
            return 0;
        }

        double sum = 0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    private static HashSet<string> Trigrams(string value)
    {
        var padded = " " + value + " ";
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i + 3 <= padded.Length; i++)
        {
            set.Add(padded.Substring(i, 3));
        }

        return set;
    }

    private static HashSet<string> Words(string value)
        => new(value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);

    private static string Digits(string value) => string.Concat(value.Where(char.IsAsciiDigit));

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return 0;
        }

        var shared = a.Count <= b.Count ? a.Count(b.Contains) : b.Count(a.Contains);
        return (double)shared / (a.Count + b.Count - shared);
    }

    private sealed record Candidate(string Value, HashSet<string> Trigrams, HashSet<string> Words, string Digits, float[]? Vector);
}
