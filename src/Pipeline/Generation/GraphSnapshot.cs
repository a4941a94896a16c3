using WildLong.Pipeline.Blobs;

namespace WildLong.Pipeline.Generation;

/// <summary>The graphs a run generates from, frozen in a blob so every activity of the run samples the same graphs.</summary>
public sealed record GraphSnapshot(BlobRef Blob, int DocumentTypes, long Records, int Nodes, int Edges, int MergedValues);
