using WildLong.Core.Pipeline;

namespace WildLong.Pipeline.Runs;

/// <summary>
/// Input of <see cref="FinalizeDatasetActivity"/>; <see cref="NoPairsReason"/> when generation could not start, and
/// the run's fingerprint for the manifest.
/// </summary>
public sealed record FinalizeRequest(string RunId, RunSettings Settings, int FinalRound, bool Simulated, RunTotals Totals, string? NoPairsReason = null, RunFingerprint? Fingerprint = null);
