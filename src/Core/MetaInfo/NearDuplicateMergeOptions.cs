namespace WildLong.Core.MetaInfo;

/// <summary>
/// When two values of one field count as the same graph node. The defaults are strict on purpose: a wrong merge
/// ("formal" into "informal") corrupts the graph, a missed one only leaves two nearby nodes.
/// </summary>
public sealed class NearDuplicateMergeOptions
{
    public const string SectionName = "WildLong:NearDuplicateMerge";

    /// <summary>Use lexical similarity (the larger of character-trigram and word Jaccard); on by default.</summary>
    public bool UseLexical { get; set; } = true;

    /// <summary>
    /// Lexical similarity at or above which two values merge. At 0.75 spelling variants of phrases merge
    /// ("summarise the key points" / "summarize the key points": 0.78) while "formal" / "informal" (0.56) and
    /// "graduate student" / "undergraduate student" (0.68) stay apart; single short words rarely reach it.
    /// </summary>
    public double LexicalThreshold { get; set; } = 0.75;

    /// <summary>
    /// Use the registered embedding generator (by default the local all-MiniLM-L6-v2 model) besides lexical
    /// similarity; on by default. Off: lexical only, as when no generator is registered.
    /// </summary>
    public bool UseEmbeddings { get; set; } = true;

    /// <summary>
    /// Cosine similarity at or above which two values merge when embeddings are used. With all-MiniLM-L6-v2, 0.88
    /// joins spelling and word-order variants ("summarize the key findings" / "summarise key findings": 0.97) while
    /// "formal" / "informal" and "graduate student" / "undergraduate student" stay apart.
    /// </summary>
    public double EmbeddingThreshold { get; set; } = 0.88;

    /// <summary>
    /// For fields with a vocabulary: cosine similarity at or above which an <c>other: …</c> value is taken as the
    /// vocabulary entry it paraphrases ("other: summarise the text" → "summarize"). Lower than
    /// <see cref="EmbeddingThreshold"/> because a vocabulary entry is a deliberate hub, not a random neighbour.
    /// </summary>
    public double VocabularyThreshold { get; set; } = 0.75;

    /// <summary>
    /// For fields with a vocabulary: an <c>other: …</c> value (with its near duplicates) seen in at least this many
    /// records becomes a canonical value of its own (its free text, without the prefix); rarer ones fold into the
    /// single value <c>other</c> (their text stays in the record's details). 0 keeps every free-text value.
    /// </summary>
    public int MinOtherCount { get; set; } = 3;

    /// <summary>Merges listed per field in the manifest's <c>top_merges</c>.</summary>
    public int TopMergesPerField { get; set; } = 5;

    /// <summary>Values sent to the embedding generator per call.</summary>
    public int EmbeddingBatchSize { get; set; } = 128;

    /// <summary>Never merge values whose digits differ ("under 200 words" and "under 300 words" stay apart).</summary>
    public bool RequireSameDigits { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        foreach (var (name, value) in new[] { (nameof(LexicalThreshold), LexicalThreshold), (nameof(EmbeddingThreshold), EmbeddingThreshold), (nameof(VocabularyThreshold), VocabularyThreshold) })
        {
            if (double.IsNaN(value) || value is <= 0 or > 1)
            {
                throw new ArgumentException($"WildLong:NearDuplicateMerge:{name} is {value}; it must be in (0, 1]");
            }
        }

        if (MinOtherCount < 0)
        {
            throw new ArgumentException($"WildLong:NearDuplicateMerge:MinOtherCount is {MinOtherCount}; it must be 0 or more");
        }

        if (EmbeddingBatchSize < 1 || TopMergesPerField < 0)
        {
            throw new ArgumentException("WildLong:NearDuplicateMerge:EmbeddingBatchSize must be at least 1 and TopMergesPerField at least 0");
        }
    }
}
