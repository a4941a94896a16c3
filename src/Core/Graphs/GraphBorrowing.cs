namespace WildLong.Core.Graphs;

/// <summary>
/// One line of the manifest's "which types borrowed what": a document type with documents that did not sample only
/// from a graph of its own, the graph it used and why. A dataset whose paths came from elsewhere says so.
/// </summary>
/// <param name="DocumentType">The type whose paths (and documents) these are.</param>
/// <param name="Kind">blended or borrowed (see <see cref="GraphSourceKind"/>).</param>
/// <param name="Source">The graph borrowed from: a type name, or <see cref="GraphSet.AllTypes"/> for all types.</param>
/// <param name="OwnRecords">Records of the type's own graph (0 when it has none).</param>
/// <param name="SourceRecords">Records of the graph borrowed from.</param>
/// <param name="Fields">The fields drawn from the source graph (every field when borrowed).</param>
/// <param name="Reason">Why, in words.</param>
public sealed record GraphBorrowing(
    string DocumentType,
    GraphSourceKind Kind,
    string Source,
    long OwnRecords,
    long SourceRecords,
    IReadOnlyList<string> Fields,
    string Reason);
