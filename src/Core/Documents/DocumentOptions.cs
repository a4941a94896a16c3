using WildLong.Core.Common;

namespace WildLong.Core.Documents;

/// <summary>
/// Settings for reading, bucketing and classifying the document corpus (stage 2 input).
/// </summary>
public sealed class DocumentOptions
{
    public const string SectionName = "WildLong:Documents";

    /// <summary>
    /// Length bands; null or empty uses <see cref="Documents.LengthBuckets.DefaultDefinitions"/>. (Null by default
    /// because configuration binding appends to a pre-filled list instead of replacing it.)
    /// </summary>
    public List<LengthBucketDefinition>? LengthBuckets { get; set; }

    /// <summary>
    /// Documents shorter than the smallest length bucket but at least this long are indexed as
    /// <see cref="Documents.LengthBuckets.PartOnlyLabel"/>: never a single-document task's context, but one of the
    /// documents of a multi-document task. Shorter ones are quarantined. 0 keeps every non-empty short document.
    /// </summary>
    public int MinPartTokens { get; set; } = 1_024;

    /// <summary>How many leading tokens of a document the classifier shows the model, besides the title.</summary>
    public int ClassificationExcerptTokens { get; set; } = 1500;

    /// <summary>Output budget of a classification answer (one short JSON object).</summary>
    public int ClassificationMaxOutputTokens { get; set; } = 64;

    /// <summary>Classification model calls in flight at once within one batch.</summary>
    public int ClassificationParallelism { get; set; } = 4;

    /// <summary>Longest accepted JSONL line in bytes; longer lines are reported and skipped. Default 16 MiB.</summary>
    public int MaxLineBytes { get; set; } = JsonlLineReader.DefaultMaxLineBytes;

    /// <summary>Largest text file the folder reader loads; larger files are reported and skipped. Default 16 MiB.</summary>
    public long MaxDocumentBytes { get; set; } = JsonlLineReader.DefaultMaxLineBytes;

    /// <summary>Longest title derived from a document's first line, in characters.</summary>
    public int MaxTitleChars { get; set; } = 200;

    /// <summary>Source label for documents without a <c>source</c> field; null uses the file or folder name.</summary>
    public string? DefaultSource { get; set; }

    public LengthBuckets CreateLengthBuckets()
        => LengthBuckets is { Count: > 0 } ? new LengthBuckets(LengthBuckets) : Documents.LengthBuckets.Default;
}
