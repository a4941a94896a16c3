namespace WildLong.Core.Reports;

/// <summary>Items one quarantine stage dropped for one reason (reasons grouped by their first clause, as in the manifest).</summary>
public sealed record FunnelDrop(string Stage, string Reason, long Count);
