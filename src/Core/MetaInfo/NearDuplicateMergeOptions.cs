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

    /// <summary>Lexical similarity at or above which two values merge.</summary>
    public double LexicalThreshold { get; set; } = 0.8;

    /// <summary>Cosine similarity at or above which two values merge, when an embedding generator is configured.</summary>
    public double EmbeddingThreshold { get; set; } = 0.92;

    /// <summary>Values sent to the embedding generator per call.</summary>
    public int EmbeddingBatchSize { get; set; } = 128;

    /// <summary>Never merge values whose digits differ ("under 200 words" and "under 300 words" stay apart).</summary>
    public bool RequireSameDigits { get; set; } = true;
}
