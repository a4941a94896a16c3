using WildLong.Core.Runner;

namespace WildLong.Pipeline.Runs;

/// <summary>
/// Input of <see cref="FinalizeDatasetActivity"/>; <see cref="NoPairsReason"/> when generation could not start, and
/// the run's fingerprint for the manifest; <c>Batch</c> when the run's model calls went through batches (billed at
/// the batch price, the discount shown per stage).
/// </summary>
public sealed record FinalizeRequest(string RunId, RunSettings Settings, int FinalRound, bool Simulated, RunTotals Totals, string? NoPairsReason = null, RunFingerprint? Fingerprint = null,
    bool Batch = false);
