namespace WildLong.Storage.Graphs;

/// <summary>
/// What compaction wrote: the totals per document type, a content hash of all totals (equal merged counts give equal
/// hashes, so a caller can tell whether anything changed), how many per-type graph blobs it uploaded, how many it
/// left alone because an identical blob was already there, and how many stale blobs (totals no longer current) and
/// rows of the earlier one-row-per-entry table layout it deleted.
/// </summary>
public sealed record GraphCompactionResult(
    IReadOnlyList<GraphTypeTotals> Types,
    string ContentHash,
    long BlobsWritten,
    long BlobsUnchanged,
    long BlobsDeleted,
    long LegacyRowsDeleted);
