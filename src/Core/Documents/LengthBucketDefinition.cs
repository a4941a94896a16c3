namespace WildLong.Core.Documents;

/// <summary>
/// One document length band, <c>[MinTokens, MaxTokens)</c>. Pairing draws documents per band so the output covers
/// the context lengths the model is meant to learn, not just whatever length the corpus happens to favour.
/// </summary>
public sealed class LengthBucketDefinition
{
    public LengthBucketDefinition()
    {
    }

    public LengthBucketDefinition(string label, int minTokens, int maxTokens)
    {
        Label = label;
        MinTokens = minTokens;
        MaxTokens = maxTokens;
    }

    public string Label { get; set; } = string.Empty;

    /// <summary>Smallest token count in the band (inclusive).</summary>
    public int MinTokens { get; set; }

    /// <summary>Token count where the band ends (exclusive).</summary>
    public int MaxTokens { get; set; }
}
