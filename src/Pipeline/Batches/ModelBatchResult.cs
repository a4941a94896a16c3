using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Batches;

/// <summary>
/// What a step of <see cref="ModelBatchActivity"/> returns: the ticket (submit), whether every part has ended with a
/// one-line status (poll), or the collected usage and cost at the batch price with answered/failed counts (collect).
/// </summary>
public sealed record ModelBatchResult(ModelBatchTicket? Ticket = null, bool Done = false, string? Status = null, WorkSummary? Collected = null);
