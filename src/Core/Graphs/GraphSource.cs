namespace WildLong.Core.Graphs;

/// <summary>
/// The graph one document type samples its paths from, as resolved by <see cref="GraphSources"/>: its own, its own
/// blended with the graph of all types for the type-independent fields, or a borrowed one. Paths always carry
/// <see cref="DocumentType"/>, so they pair with that type's documents.
/// </summary>
public sealed class GraphSource
{
    internal GraphSource(
        string documentType,
        GraphSourceKind kind,
        CooccurrenceGraph graph,
        CooccurrenceGraph? shared,
        IReadOnlySet<string> sharedFields,
        GraphShape shape,
        long ownRecords,
        long planWeight,
        GraphBorrowing? borrowing)
    {
        DocumentType = documentType;
        Kind = kind;
        Graph = graph;
        Shared = shared;
        SharedFields = sharedFields;
        Shape = shape;
        OwnRecords = ownRecords;
        PlanWeight = planWeight;
        Borrowing = borrowing;
    }

    public string DocumentType { get; }

    public GraphSourceKind Kind { get; }

    /// <summary>The graph sampled for every field (own or borrowed), or for the type-dependent fields when blended.</summary>
    public CooccurrenceGraph Graph { get; }

    /// <summary>The graph of all types, which supplies <see cref="SharedFields"/> when blended; null otherwise.</summary>
    public CooccurrenceGraph? Shared { get; }

    /// <summary>The type-independent fields drawn from <see cref="Shared"/> (empty unless blended).</summary>
    public IReadOnlySet<string> SharedFields { get; }

    /// <summary>The record shape paths follow: the type's own, or the source's when its own records are too few.</summary>
    public GraphShape Shape { get; }

    /// <summary>Records in the type's own graph (0 when it has none).</summary>
    public long OwnRecords { get; }

    /// <summary>The weight of the type in the plan: its own records, at least the configured minimum.</summary>
    public long PlanWeight { get; }

    /// <summary>What the manifest lists for this type; null when it samples only its own graph.</summary>
    public GraphBorrowing? Borrowing { get; }
}
