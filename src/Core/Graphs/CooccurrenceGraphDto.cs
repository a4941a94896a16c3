namespace WildLong.Core.Graphs;

/// <summary>
/// The stable, serializable form of a <see cref="CooccurrenceGraph"/>: nodes sorted by (field, value) and edges by
/// their canonical endpoints, so equal graphs serialize to identical bytes however they were built or merged.
/// </summary>
public sealed record CooccurrenceGraphDto(
    string DocumentType,
    long RecordCount,
    IReadOnlyList<GraphNode> Nodes,
    IReadOnlyList<GraphEdge> Edges);
