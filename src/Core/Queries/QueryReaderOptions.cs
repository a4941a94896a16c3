using WildLong.Core.Common;

namespace WildLong.Core.Queries;

/// <summary>
/// How query files are read: the line-length bound that keeps a pathological line from exhausting memory, and
/// the source label for records that do not carry one.
/// </summary>
public sealed class QueryReaderOptions
{
    public const string SectionName = "WildLong:Queries";

    /// <summary>Longest accepted JSONL line in bytes; longer lines are reported and skipped. Default 16 MiB.</summary>
    public int MaxLineBytes { get; set; } = JsonlLineReader.DefaultMaxLineBytes;

    /// <summary>
    /// Source label for records without a <c>source</c> field (WildChat's conversation layout is always
    /// "wildchat"); null uses the file name without extension.
    /// </summary>
    public string? DefaultSource { get; set; }
}
