using System.Globalization;
using WildLong.Core.Runner;
using WildLong.Core;
using WildLong.Llm;

using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Capacity;

/// <summary>
/// Turns a <see cref="RunEstimate"/> into a <see cref="CapacityPlan"/>: the wall-clock time is what the deployment's
/// quota allows (the limiter charges each call its prompt plus its output budget, as Azure does at admission; tokens
/// per minute and requests per minute each give a time, the longer one governs); activities follow the batch sizes of
/// <c>WildLong:Run</c>, sub-orchestrations <see cref="PipelineOptions.ActivitiesPerSubOrchestration"/>; storage
/// transactions and the hosting cost follow the per-unit figures below. Pure arithmetic: no I/O.
/// </summary>
public static class CapacityPlanner
{
    /// <summary>
    /// Storage operations per activity on the Azure Storage task hub, all in: measured 8,140 requests for the 270
    /// activities of a 1,000-pair run on the azure-storage engine (bench/EngineThroughput) — about 12 per activity are
    /// the pipeline's own blob and table reads and writes (the memory engine's count, 3,211) and 18 the task hub's
    /// queue messages, history rows and lease and instance updates. (It was 12 before that measurement.)
    /// </summary>
    public const int TransactionsPerActivity = 30;

    /// <summary>Response cache operations per model call: a lookup and a write.</summary>
    public const int TransactionsPerModelCall = 2;

    /// <summary>Activities of every run and round that do not scale with the inputs (list and plan inputs, graph snapshot, path plan, pairing, dedup, finalize).</summary>
    public const int FixedActivitiesPerRound = 8;

    /// <summary>The plan for the host's settings: the model's quota, the run's batch sizes, the pipeline's fan-out and the hosting prices.</summary>
    public static CapacityPlan Plan(RunEstimate estimate, ModelOptions model, MethodRunOptions run, PipelineOptions pipeline, HostingPrices prices)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pipeline);
        return Plan(estimate, model.Tpm, model.Rpm, model.QuotaHeadroom, run, pipeline.ActivitiesPerSubOrchestration, prices);
    }

    public static CapacityPlan Plan(RunEstimate estimate, int tpm, int rpm, double quotaHeadroom, MethodRunOptions run, int activitiesPerSubOrchestration, HostingPrices prices, int rounds = 1)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tpm);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rpm);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(activitiesPerSubOrchestration);

        // Azure charges prompt + max_tokens at admission; the estimate's output is OutputFill of each stage's budget.
        var charged = estimate.Usage.Values.Sum(s => s.InputTokens + (long)Math.Ceiling(s.OutputTokens / RunEstimator.OutputFill));
        var calls = estimate.Usage.Values.Sum(s => s.Calls);
        var usable = 1 - quotaHeadroom;
        var tokenMinutes = charged / (tpm * usable);
        var requestMinutes = calls / (rpm * usable);
        var wall = TimeSpan.FromMinutes(Math.Max(tokenMinutes, requestMinutes));

        var pairs = estimate.PlannedPairs;
        var perStage = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            [StageNames.MetaInfoExtraction] = Slices(estimate.QueriesRead, run.QueryBatchSize),
            [StageNames.IndexDocuments] = Slices(estimate.DocumentsUsable, run.DocumentBatchSize),
            [StageNames.InstructionWriting] = Slices(pairs, run.InstructionBatchSize),
            [StageNames.PairGeneration] = Slices(pairs, run.PairBatchSize),
            ["run-steps"] = (long)FixedActivitiesPerRound * Math.Max(1, rounds),
        };
        var activities = perStage.Values.Sum();
        // Fan-outs of more than FanOut.DirectCallLimit slices go through groups; add one child per query shard and corpus file.
        var subOrchestrations = perStage.Where(s => s.Key != "run-steps" && s.Value > Math.Min(activitiesPerSubOrchestration, FanOut.DirectCallLimit)).Sum(s => Slices(s.Value, activitiesPerSubOrchestration));
        var transactions = (activities * TransactionsPerActivity) + (calls * TransactionsPerModelCall);

        var gbSeconds = (decimal)(prices.InstanceMemoryMb / 1024.0 * wall.TotalSeconds * Math.Max(1, prices.Instances));
        var functions = (gbSeconds * prices.PerGbSecond) + (activities * prices.PerMillionExecutions / 1_000_000m);
        var storage = transactions * prices.PerTenThousandTransactions / 10_000m;
        var culture = CultureInfo.InvariantCulture;
        return new CapacityPlan(wall, tokenMinutes, requestMinutes, charged, calls, perStage, activities, subOrchestrations, transactions,
            decimal.Round(functions, 4), decimal.Round(storage, 4),
        [
            string.Create(culture, $"the run goes at the deployment's quota ({tpm:N0} TPM, {rpm:N0} RPM, {quotaHeadroom:P0} headroom); each call is charged its prompt plus its whole output budget, as Azure does at admission; measured: the limiter keeps about 90 % of TPM busy"),
            string.Create(culture, $"Functions: {prices.Instances} instance(s) of {prices.InstanceMemoryMb:N0} MB busy for the whole run at {prices.PerGbSecond} per GB-s, {prices.PerMillionExecutions} per million executions (WildLong:Estimate:Hosting)"),
            string.Create(culture, $"storage: {TransactionsPerActivity} transactions per activity (measured: the pipeline's blobs and tables and the task hub's queues and history) and {TransactionsPerModelCall} per model call (response cache), {prices.PerTenThousandTransactions} per 10,000"),
            string.Create(culture, $"sub-orchestrations: the fan-out groups of up to {activitiesPerSubOrchestration:N0} activities (WildLong:Pipeline:ActivitiesPerSubOrchestration); add one per query shard and per corpus file (each input's own child orchestration)"),
            "graph writes (one blob and one ledger row per shard, one blob per document type), report and dataset writes are not counted (a few per thousand pairs)",
        ]);
    }

    private static long Slices(long items, int size) => items <= 0 ? 0 : (items + size - 1) / size;
}
