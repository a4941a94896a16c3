using WildLong.Pipeline.Runs;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Extraction;

/// <summary>Input of the per-blob orchestrations an upload starts: the blob and the shape to process it with.</summary>
public sealed record InputBlobRequest(BlobRef Blob, RunShape Shape);
