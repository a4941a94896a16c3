namespace WildLong.Storage.Graphs;

/// <summary>The size of one document type's compacted graph, for compaction reports and run summaries.</summary>
public sealed record GraphTypeTotals(string DocumentType, long RecordCount, int NodeCount, int EdgeCount);
