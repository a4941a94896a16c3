using WildLong.Core.Model;

namespace WildLong.Llm.Costs;

/// <summary>
/// Turns <see cref="UsageLedger"/> snapshots into money with the deployment's <see cref="ModelPricing"/>: uncached
/// input, cached input and output tokens each at their price, less the batch discount for Global Batch work.
/// Pure arithmetic over the ledger, so a status endpoint can call it at any moment of a run.
/// </summary>
public sealed class CostCalculator
{
    private const decimal Thousand = 1000m;
    private readonly ModelPricing pricing;

    public CostCalculator(ModelPricing pricing) => this.pricing = pricing ?? throw new ArgumentNullException(nameof(pricing));

    /// <summary>The price of a cached input token as a share of an uncached one (null when input is free).</summary>
    public double? CachedPriceRatio => pricing.InputPer1K == 0 ? null : (double)(pricing.CachedInputPer1K / pricing.InputPer1K);

    public CostReport Calculate(UsageLedger ledger, bool batch = false)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return Calculate(ledger.Snapshot(), batch);
    }

    public CostReport Calculate(IReadOnlyDictionary<string, StageUsage> usageByStage, bool batch = false)
    {
        ArgumentNullException.ThrowIfNull(usageByStage);
        var stages = usageByStage
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => Cost(kv.Key, kv.Value, batch))
            .ToList();
        var totalUsage = usageByStage.Values.Aggregate(StageUsage.Zero, (a, b) => a + b);
        return new CostReport(pricing.Currency, batch, stages, Cost("total", totalUsage, batch));
    }

    public StageCost Cost(string stage, StageUsage usage, bool batch = false)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var factor = batch ? 1m - pricing.BatchDiscount : 1m;
        var uncached = Math.Max(0, usage.InputTokens - usage.CachedInputTokens);
        var list = (uncached * pricing.InputPer1K + usage.CachedInputTokens * pricing.CachedInputPer1K + usage.OutputTokens * pricing.OutputPer1K) / Thousand;
        var cost = new StageCost(
            stage,
            usage,
            uncached * pricing.InputPer1K / Thousand * factor,
            usage.CachedInputTokens * pricing.CachedInputPer1K / Thousand * factor,
            usage.OutputTokens * pricing.OutputPer1K / Thousand * factor);
        return cost with { BatchDiscount = list - cost.Total };
    }
}
