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

    /// <summary>Cosine similarity at or above which two values merge, when an embedding generator is configured.</summary>
    public double EmbeddingThreshold { get; set; } = 0.92;

    /// <summary>Values sent to the embedding generator per call.</summary>
    public int EmbeddingBatchSize { get; set; } = 128;

    /// <summary>Never merge values whose digits differ ("under 200 words" and "under 300 words" stay apart).</summary>
    public bool RequireSameDigits { get; set; } = true;
}
