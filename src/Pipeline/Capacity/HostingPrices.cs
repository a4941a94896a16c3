namespace WildLong.Pipeline.Capacity;

/// <summary>
/// What the Azure side of a run costs per unit (<c>WildLong:Estimate:Hosting</c>): Functions Flex Consumption
/// on-demand execution time and executions, and storage transactions. Defaults are pay-as-you-go list prices in USD
/// (2025, East US); set your region's and agreement's prices here.
/// </summary>
public sealed class HostingPrices
{
    public const string SectionName = "WildLong:Estimate:Hosting";

    /// <summary>Flex Consumption on-demand execution time, per GB-second of instance memory.</summary>
    public decimal PerGbSecond { get; set; } = 0.000026m;

    /// <summary>Flex Consumption executions, per million.</summary>
    public decimal PerMillionExecutions { get; set; } = 0.40m;

    /// <summary>Instance memory of the Function app (Flex Consumption: 512, 2048 or 4096 MB).</summary>
    public int InstanceMemoryMb { get; set; } = 2048;

    /// <summary>Instances busy for the whole run (a model-bound run keeps about one busy per deployment's quota).</summary>
    public int Instances { get; set; } = 1;

    /// <summary>Storage transactions (blob, queue and table operations blended), per 10,000.</summary>
    public decimal PerTenThousandTransactions { get; set; } = 0.0065m;
}
