using WildLong.Core.Model;

namespace WildLong.Llm.Costs;

/// <summary>What one stage (or the whole run) consumed and what that cost, split the way the invoice splits it.</summary>
public sealed record StageCost(
    string Stage,
    StageUsage Usage,
    decimal UncachedInputCost,
    decimal CachedInputCost,
    decimal OutputCost)
{
    public decimal Total => UncachedInputCost + CachedInputCost + OutputCost;

    /// <summary>The batch discount taken off this stage's list price (0 for online work).</summary>
    public decimal BatchDiscount { get; init; }

    /// <summary>Input tokens billed at the full price (prompt tokens minus those served from the prompt cache).</summary>
    public long UncachedInputTokens => Math.Max(0, Usage.InputTokens - Usage.CachedInputTokens);
}
