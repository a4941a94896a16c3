namespace WildLong.Core.Documents;

/// <summary>
/// Resolves a document's token count to its length band. Checked once at construction (no overlaps, no empty
/// labels), so a misconfigured run fails at start-up rather than mis-bucketing documents silently. A count
/// outside every band means the document is unusable for this run, and the reason says which side it fell off.
/// </summary>
public sealed class LengthBuckets
{
    /// <summary>
    /// The label of documents shorter than the smallest bucket but at least <see cref="DocumentOptions.MinPartTokens"/>
    /// long: too short for a single-document task, still useful as one of several documents of a multi-document task.
    /// </summary>
    public const string PartOnlyLabel = "part-only";

    private readonly LengthBucketDefinition[] buckets;

    public LengthBuckets(IEnumerable<LengthBucketDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        buckets = [.. definitions.OrderBy(b => b.MinTokens)];
        if (buckets.Length == 0)
        {
            throw new ArgumentException("at least one length bucket is required", nameof(definitions));
        }

        var labels = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < buckets.Length; i++)
        {
            var bucket = buckets[i];
            if (string.IsNullOrWhiteSpace(bucket.Label) || !labels.Add(bucket.Label) || bucket.Label == PartOnlyLabel)
            {
                throw new ArgumentException($"length bucket labels must be non-empty, unique and not '{PartOnlyLabel}' ('{bucket.Label}')", nameof(definitions));
            }

            if (bucket.MinTokens < 0 || bucket.MaxTokens <= bucket.MinTokens)
            {
                throw new ArgumentException($"length bucket '{bucket.Label}' needs 0 <= minTokens < maxTokens (got {bucket.MinTokens}..{bucket.MaxTokens})", nameof(definitions));
            }

            if (i > 0 && bucket.MinTokens < buckets[i - 1].MaxTokens)
            {
                throw new ArgumentException($"length buckets '{buckets[i - 1].Label}' and '{bucket.Label}' overlap", nameof(definitions));
            }
        }
    }

    /// <summary>4k-8k, 8k-16k, 16k-32k, 32k-64k, 64k-128k (powers of two: 4096 … 131072 tokens).</summary>
    public static IReadOnlyList<LengthBucketDefinition> DefaultDefinitions =>
    [
        new("4k-8k", 4096, 8192),
        new("8k-16k", 8192, 16384),
        new("16k-32k", 16384, 32768),
        new("32k-64k", 32768, 65536),
        new("64k-128k", 65536, 131072),
    ];

    public static LengthBuckets Default { get; } = new(DefaultDefinitions);

    public IReadOnlyList<LengthBucketDefinition> Buckets => buckets;

    public int MinTokens => buckets[0].MinTokens;

    public int MaxTokens => buckets[^1].MaxTokens;

    /// <summary>The label of the band holding <paramref name="tokens"/>, or null with the reason it fits none.</summary>
    public string? Resolve(int tokens, out string? reason)
    {
        foreach (var bucket in buckets)
        {
            if (tokens >= bucket.MinTokens && tokens < bucket.MaxTokens)
            {
                reason = null;
                return bucket.Label;
            }
        }

        reason = tokens < MinTokens
            ? $"document is too short to use: {tokens} tokens, under the smallest length bucket '{buckets[0].Label}' (from {MinTokens} tokens)"
            : tokens >= MaxTokens
                ? $"document is too long to use: {tokens} tokens, over the largest length bucket '{buckets[^1].Label}' (below {MaxTokens} tokens)"
                : $"document length {tokens} tokens falls between the configured length buckets";
        return null;
    }
}
