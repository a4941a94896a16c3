using WildLong.Core.Model;

namespace WildLong.Core.Runner;

/// <summary>
/// What a planned run is expected to consume before anything is spent: calls and tokens per stage (priced by the
/// host's cost calculator), the input counts they were derived from, and the assumptions behind them.
/// </summary>
public sealed record RunEstimate(
    IReadOnlyDictionary<string, StageUsage> Usage,
    int QueriesRead,
    int QueriesKeptByPreFilter,
    int DocumentsUsable,
    int DocumentsToClassify,
    long MeanDocumentTokens,
    int PlannedPairs,
    IReadOnlyList<string> Assumptions)
{
    public StageUsage Total => Usage.Values.Aggregate(StageUsage.Zero, (a, b) => a + b);
}
