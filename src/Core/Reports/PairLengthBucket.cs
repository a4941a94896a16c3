using WildLong.Core.Documents;

namespace WildLong.Core.Reports;

/// <summary>
/// The length bucket of a pair for the length-bucket mix (docs/quality-metrics.md): the bucket its document falls
/// in, for a multi-document pair the bucket of the documents' total tokens; outside every bucket it is named
/// "below …" or "above …".
/// </summary>
public static class PairLengthBucket
{
    public static string Of(LengthBuckets buckets, long tokens)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var clamped = (int)Math.Clamp(tokens, 0, int.MaxValue);
        return buckets.Resolve(clamped, out _)
            ?? (clamped < buckets.MinTokens ? "below " + buckets.Buckets[0].Label
                : clamped >= buckets.MaxTokens ? "above " + buckets.Buckets[^1].Label
                : "between buckets");
    }
}
