using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// The graphs and documents a run generates from, frozen in blobs (graphs, catalog) so every activity of the run —
/// and a resumed run — samples the same graphs and pairs with the same documents. <see cref="NoPairsReason"/> says
/// why nothing can be generated when that is already clear (no graph, no document).
/// </summary>
public sealed record GraphSnapshot(BlobRef Blob, int DocumentTypes, long Records, int Nodes, int Edges, int MergedValues, int Documents = 0, string? NoPairsReason = null);
