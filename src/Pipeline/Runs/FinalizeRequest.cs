using WildLong.Core.Pipeline;

namespace WildLong.Pipeline.Runs;

/// <summary>Input of <see cref="FinalizeDatasetActivity"/>.</summary>
public sealed record FinalizeRequest(string RunId, RunSettings Settings, int FinalRound, bool Simulated, RunTotals Totals, RunFingerprint? Fingerprint = null);
