using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Extraction;

/// <summary>Input of <see cref="PlanInputBlobActivity"/>.</summary>
public sealed record PlanInputBlobRequest(BlobRef Blob, InputKind Kind);
