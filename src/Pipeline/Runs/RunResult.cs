namespace WildLong.Pipeline.Runs;

/// <summary>A finished run: where its dataset is, how many pairs it kept, what it took, and why it kept none when it did not.</summary>
public sealed record RunResult(string RunId, string DatasetContainer, string DatasetPrefix, int Pairs, RunTotals Totals, decimal Cost, string? NoPairsReason = null);
