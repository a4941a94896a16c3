using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Extraction;

/// <summary>
/// An input blob ready to be sliced: its stable id, its content version (outputs are keyed by it, so a re-uploaded
/// shard with new content is processed anew and the same content never twice) and how many items it holds.
/// </summary>
public sealed record InputBlobPlan(BlobRef Blob, string Id, string Version, int Items);
