namespace WildLong.Core.Reports;

/// <summary>One step of the funnel from queries to kept pairs: items in, items out, and every drop with its reason and count.</summary>
public sealed record FunnelStep(string Step, long In, long Out, IReadOnlyList<FunnelDrop> Drops);
