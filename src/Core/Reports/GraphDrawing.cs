using WildLong.Core.Graphs;

namespace WildLong.Core.Reports;

/// <summary>The top nodes (by count) of one of the largest graphs and the heaviest edges among them, for the report's drawing.</summary>
public sealed record GraphDrawing(string DocumentType, long Records, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges);
