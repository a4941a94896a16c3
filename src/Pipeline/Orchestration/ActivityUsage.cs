using WildLong.Core.Model;
using WildLong.Llm.Costs;

namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// Captures the model usage of one activity (activities run concurrently in one process and share the process-wide
/// ledger) and turns it, with the activity's counts, into the <see cref="WorkSummary"/> it returns.
/// </summary>
public sealed class ActivityUsage : IDisposable
{
    private readonly UsageLedger scope = new();
    private readonly CostCalculator costs;
    private readonly IDisposable handle;

    public ActivityUsage(CostCalculator costs)
    {
        this.costs = costs ?? throw new ArgumentNullException(nameof(costs));
        handle = UsageLedger.BeginScope(scope);
    }

    public WorkSummary Summarize(int items, int succeeded, int rejected)
        => new(items, succeeded, rejected, scope.Snapshot(), costs.Calculate(scope).Total.Total);

    public void Dispose() => handle.Dispose();
}
