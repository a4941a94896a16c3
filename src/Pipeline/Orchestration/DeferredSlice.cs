using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// A slice whose batch pass recorded requests no cache and no collected batch could answer: the slice (to run again),
/// the blob of its request lines and how many there are. Small by design: the lines stay in the blob.
/// </summary>
public sealed record DeferredSlice(WorkSlice Slice, BlobRef Requests, int Count);
