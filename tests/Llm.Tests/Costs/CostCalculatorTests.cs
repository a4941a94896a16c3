using Microsoft.Extensions.AI;
using WildLong.Core.Model;
using WildLong.Llm.Costs;

namespace WildLong.Llm.Tests.Costs;

/// <summary>Money from token counts, with round prices so every expected figure can be checked by hand.</summary>
public sealed class CostCalculatorTests
{
    private static readonly ModelPricing Pricing = new() { Currency = "EUR", InputPer1K = 1m, CachedInputPer1K = 0.5m, OutputPer1K = 2m, BatchDiscount = 0.5m };

    private static UsageLedger Ledger()
    {
        var ledger = new UsageLedger();
        // extraction: 3,000 input of which 1,000 cached, 500 output → 2 + 0.5 + 1 = 3.5
        ledger.Record("extraction", new UsageDetails { InputTokenCount = 2_000, CachedInputTokenCount = 1_000, OutputTokenCount = 200 });
        ledger.Record("extraction", new UsageDetails { InputTokenCount = 1_000, CachedInputTokenCount = 0, OutputTokenCount = 300 });
        ledger.RecordRetry("extraction");
        ledger.RecordThrottled("extraction");
        // response: 10,000 input, none cached, 2,000 output → 10 + 0 + 4 = 14
        ledger.Record("response", new UsageDetails { InputTokenCount = 10_000, OutputTokenCount = 2_000 });
        ledger.Record("response", null, failed: true);
        ledger.RecordCacheHit("response");
        return ledger;
    }

    [Fact]
    public void Each_stage_is_priced_by_uncached_cached_and_output_tokens()
    {
        var report = new CostCalculator(Pricing).Calculate(Ledger());

        var extraction = Assert.Single(report.Stages, s => s.Stage == "extraction");
        Assert.Equal((2m, 0.5m, 1m, 3.5m), (extraction.UncachedInputCost, extraction.CachedInputCost, extraction.OutputCost, extraction.Total));
        Assert.Equal(2_000, extraction.UncachedInputTokens);
        var response = Assert.Single(report.Stages, s => s.Stage == "response");
        Assert.Equal(14m, response.Total);
    }

    [Fact]
    public void The_run_total_is_the_sum_of_the_stages_with_all_counters()
    {
        var report = new CostCalculator(Pricing).Calculate(Ledger());

        Assert.Equal(17.5m, report.Total.Total);
        Assert.Equal(report.Stages.Sum(s => s.Total), report.Total.Total);
        var u = report.Total.Usage;
        Assert.Equal((4L, 1L, 1L, 1L, 1L), (u.Calls, u.FailedCalls, u.Retries, u.Throttled, u.CacheHits));
        Assert.Equal("EUR", report.Currency);
        Assert.Equal(["extraction", "response"], report.Stages.Select(s => s.Stage));
    }

    [Fact]
    public void Batch_work_gets_the_discount_on_every_price()
    {
        var report = new CostCalculator(Pricing).Calculate(Ledger(), batch: true);

        Assert.True(report.Batch);
        Assert.Equal(8.75m, report.Total.Total);
    }

    [Fact]
    public void An_empty_ledger_costs_nothing()
    {
        var report = new CostCalculator(Pricing).Calculate(new UsageLedger());

        Assert.Empty(report.Stages);
        Assert.Equal(0m, report.Total.Total);
    }

    [Fact]
    public void The_table_has_a_line_per_stage_and_the_total()
    {
        var lines = new CostCalculator(Pricing).Calculate(Ledger()).ToTable().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(4, lines.Length);
        Assert.StartsWith("total", lines[^1], StringComparison.Ordinal);
        Assert.Contains("17.500000", lines[^1], StringComparison.Ordinal);
    }
}
