namespace WildLong.Core.Reports;

/// <summary>Pairs planned and kept for one document type, task kind and length bucket (null planned: not recorded).</summary>
public sealed record MixRow(string DocumentType, string TaskKind, string LengthBucket, long? Planned, long Kept);
