using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Batches;

/// <summary>One submitted request file of a submission (files are split at the service's line and byte limits) and its batch id.</summary>
public sealed record ModelBatchPart(string BatchId, BlobRef Requests, int Lines);
