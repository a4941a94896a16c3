namespace WildLong.Storage.Graphs;

/// <summary>
/// One document type's compacted graph as the totals marker lists it: the SHA-256 that addresses and verifies its
/// blob, and its size (so the marker alone answers "what is compacted" without reading a blob).
/// </summary>
internal sealed record GraphTotalsBlob(string DocumentType, string Sha256, long RecordCount, int NodeCount, int EdgeCount);
