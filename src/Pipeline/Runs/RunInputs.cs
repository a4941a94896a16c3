using WildLong.Pipeline.Extraction;

namespace WildLong.Pipeline.Runs;

/// <summary>
/// The inputs a run is built from: the query shards whose graph contributions it sums and the corpus files whose
/// documents it pairs with, each at the content version the run read. A run with inputs reads nothing else in the
/// account; a generation without them (<see cref="GenerationRequest.Inputs"/> null) is the explicit accumulating mode
/// of the upload triggers and the scheduled regeneration: every shard and corpus in the account.
/// </summary>
public sealed record RunInputs(IReadOnlyList<InputBlobPlan> Shards, IReadOnlyList<InputBlobPlan> Corpora);
