namespace WildLong.Core.Runner;

/// <summary>
/// A run's counts after a round, summed over all rounds so far, plus the two facts of the run the round policy
/// needs: the multi-document share asked for and whether any planned type can hold a multi-document task. Plain
/// values, so a durable orchestrator can compute the next round from its activities' summaries.
/// </summary>
/// <param name="Paths">Paths planned (written into instructions or not).</param>
/// <param name="MultiDocumentPaths">Of those, paths planned as multi-document tasks.</param>
/// <param name="Kept">Pairs kept after judging and deduplication.</param>
/// <param name="KeptMultiDocument">Of those, multi-document pairs.</param>
/// <param name="TargetShare">The multi-document share the run asks for.</param>
/// <param name="MultiDocumentPossible">False when no type with a graph has enough documents within the budget.</param>
public sealed record RoundTally(int Paths, int MultiDocumentPaths, int Kept, int KeptMultiDocument, double TargetShare, bool MultiDocumentPossible);
