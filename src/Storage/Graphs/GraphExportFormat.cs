namespace WildLong.Storage.Graphs;

/// <summary>
/// The formats a co-occurrence graph is exported in: the project's own JSON for programs, GraphML and DOT so the
/// graph opens in standard tools (Gephi, yEd, Graphviz) without a converter.
/// </summary>
public enum GraphExportFormat
{
    Json,
    GraphMl,
    Dot,
}
