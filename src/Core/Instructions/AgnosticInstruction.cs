using WildLong.Core.Generation;
using WildLong.Core.Graphs;

namespace WildLong.Core.Instructions;

/// <summary>
/// A realistic user request written from a sampled path, before it is tied to any document. Keeping it
/// document-agnostic lets one graph path serve any document of its type; the adapter specialises it later.
/// </summary>
public sealed record AgnosticInstruction(
    string PathKey,
    string DocumentType,
    long Index,
    TaskKind TaskKind,
    string Text,
    IReadOnlyList<PathStep> Steps,
    string PromptId)
{
    /// <summary>A stable id for quarantine entries and seeds: document type and path index.</summary>
    public string Id => $"{DocumentType}#{Index}";

    public bool IsMultiDocument => TaskKind != TaskKind.SingleDocument;
}
