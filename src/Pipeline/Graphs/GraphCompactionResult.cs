namespace WildLong.Pipeline.Graphs;

/// <summary>
/// What compaction wrote into the totals table: the totals per document type, a content hash of all totals (equal
/// merged counts give equal hashes, so a caller can tell whether anything changed), and how many rows it wrote,
/// deleted and left untouched because they already held the right count.
/// </summary>
public sealed record GraphCompactionResult(
    IReadOnlyList<GraphTypeTotals> Types,
    string ContentHash,
    long RowsWritten,
    long RowsDeleted,
    long RowsUnchanged);
