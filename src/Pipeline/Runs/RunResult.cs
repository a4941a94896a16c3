namespace WildLong.Pipeline.Runs;

/// <summary>A finished run: where its dataset is, how many pairs it kept, and what it took.</summary>
public sealed record RunResult(string RunId, string DatasetContainer, string DatasetPrefix, int Pairs, RunTotals Totals, decimal Cost);
