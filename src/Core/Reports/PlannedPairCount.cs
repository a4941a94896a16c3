using WildLong.Core.Generation;

namespace WildLong.Core.Reports;

/// <summary>How many pairs a run planned for one document type, task kind and length bucket (of the pair's total document tokens).</summary>
public sealed record PlannedPairCount(string DocumentType, TaskKind TaskKind, string LengthBucket, int Count);
