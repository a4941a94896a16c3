namespace WildLong.Core.Reports;

/// <summary>A field value and the records holding it.</summary>
public sealed record ValueCount(string Value, long Count);
