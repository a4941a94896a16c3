namespace WildLong.Pipeline.Batches;

/// <summary>
/// A submitted batch as the orchestration keeps it: the submission id (a hash of the request lines and their
/// attempts, so the same requests are never submitted twice, across replays, restarts and workers) and its parts.
/// </summary>
public sealed record ModelBatchTicket(string Submission, IReadOnlyList<ModelBatchPart> Parts, int Lines);
