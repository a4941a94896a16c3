namespace WildLong.Functions.Scheduling;

/// <summary>Whether a timer tick starts a regeneration, and why (logged, so a skipped tick is explainable).</summary>
public sealed record RegenerationDecision(bool Start, string Reason);
