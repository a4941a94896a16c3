using WildLong.Core.Documents;
using WildLong.Core.Instructions;

namespace WildLong.Core.Generation;

/// <summary>
/// An instruction assigned to the document(s) it will be adapted to and answered from. Pairing is planned on the
/// index alone, so the (expensive) document texts are loaded only once the plan is fixed, grouped by document.
/// </summary>
public sealed record PlannedPair(
    AgnosticInstruction Instruction,
    TaskKind TaskKind,
    IReadOnlyList<IndexedDocument> Documents,
    string? RequestedLengthBucket,
    bool UsedFallbackBucket)
{
    /// <summary>The documents' ids joined; items with the same key share a prompt prefix and run together.</summary>
    public string GroupKey => string.Join("+", Documents.Select(d => d.Id));

    /// <summary>A stable id for quarantine entries, seeds and output records.</summary>
    public string Id => $"{Instruction.Id}@{GroupKey}";

    public int DocumentTokens => Documents.Sum(d => d.Tokens);
}
