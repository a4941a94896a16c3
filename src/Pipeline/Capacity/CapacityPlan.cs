namespace WildLong.Pipeline.Capacity;

/// <summary>
/// What a planned durable run needs besides model tokens: how long it takes at the deployment's quota, how many
/// activities and sub-orchestrations it runs, how many storage transactions it makes, and what the Functions app and
/// storage cost — next to the model's cost, with the assumptions that produced each figure.
/// </summary>
public sealed record CapacityPlan(
    TimeSpan WallClock,
    double TokenMinutes,
    double RequestMinutes,
    long ChargedTokens,
    long ModelCalls,
    IReadOnlyDictionary<string, long> ActivitiesPerStage,
    long Activities,
    long SubOrchestrations,
    long StorageTransactions,
    decimal FunctionsCost,
    decimal StorageCost,
    IReadOnlyList<string> Assumptions)
{
    /// <summary>Whether the deployment's tokens (not its requests) set the pace.</summary>
    public bool TokenBound => TokenMinutes >= RequestMinutes;

    public decimal HostingCost => FunctionsCost + StorageCost;
}
