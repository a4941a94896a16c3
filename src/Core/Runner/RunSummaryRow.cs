namespace WildLong.Core.Runner;

/// <summary>One step of a finished run's summary: the items it got, kept and rejected (with a reason in the quarantine).</summary>
public sealed record RunSummaryRow(string Step, int In, int Kept, int Rejected);
