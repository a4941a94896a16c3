namespace WildLong.Core.Graphs;

/// <summary>
/// The stable, serializable form of a <see cref="CooccurrenceGraph"/>: nodes sorted by (field, value) and edges by
/// their canonical endpoints, so equal graphs serialize to identical bytes however they were built or merged.
/// <see cref="Shape"/>, <see cref="Signatures"/> and <see cref="SignaturesTruncated"/> are absent in graphs written
/// before they existed (and when empty).
/// </summary>
public sealed record CooccurrenceGraphDto(
    string DocumentType,
    long RecordCount,
    IReadOnlyList<GraphNode> Nodes,
    IReadOnlyList<GraphEdge> Edges,
    IReadOnlyList<GraphShapeBin>? Shape = null,
    IReadOnlyList<GraphRecordSignature>? Signatures = null,
    bool? SignaturesTruncated = null);
