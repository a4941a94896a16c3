namespace WildLong.Llm;

/// <summary>
/// What the deployment charges, so a run can show its cost while it runs rather than on next month's invoice.
/// Prices are per 1,000 tokens in <see cref="Currency"/>; cached input tokens are billed at their own (lower) price;
/// Global Batch work gets <see cref="BatchDiscount"/> off every price.
/// </summary>
public sealed class ModelPricing
{
    /// <summary>Currency code the prices are in (shown in reports only).</summary>
    public string Currency { get; set; } = "USD";

    /// <summary>Price per 1,000 uncached input (prompt) tokens. Default: gpt-4o-mini list price.</summary>
    public decimal InputPer1K { get; set; } = 0.000165m;

    /// <summary>Price per 1,000 input tokens served from the prompt cache.</summary>
    public decimal CachedInputPer1K { get; set; } = 0.0000825m;

    /// <summary>Price per 1,000 output (completion) tokens.</summary>
    public decimal OutputPer1K { get; set; } = 0.00066m;

    /// <summary>Fraction taken off every price for Global Batch work, in [0, 1) (Azure: 0.5).</summary>
    public decimal BatchDiscount { get; set; } = 0.5m;
}
