namespace WildLong.Pipeline.Runs;

/// <summary>Input of <see cref="FinalizeDatasetActivity"/>; <see cref="NoPairsReason"/> when generation could not start.</summary>
public sealed record FinalizeRequest(string RunId, RunSettings Settings, int FinalRound, bool Simulated, RunTotals Totals, string? NoPairsReason = null);
