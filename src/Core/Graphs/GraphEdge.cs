namespace WildLong.Core.Graphs;

/// <summary>
/// One undirected co-occurrence edge with the number of records in which both values appear: the plain row form of a
/// graph's edge counts. Endpoints are in canonical order — (FieldA, ValueA) sorts before (FieldB, ValueB) by ordinal
/// comparison — so one pair always has one row.
/// </summary>
public sealed record GraphEdge(string FieldA, string ValueA, string FieldB, string ValueB, long Count);
