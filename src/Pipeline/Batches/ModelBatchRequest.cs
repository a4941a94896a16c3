using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Batches;

/// <summary>The input of <see cref="ModelBatchActivity"/>: the step, the blobs of waiting request lines (submit) or the ticket (poll, collect).</summary>
public sealed record ModelBatchRequest(ModelBatchAction Action, IReadOnlyList<BlobRef>? Pending = null, ModelBatchTicket? Ticket = null);
