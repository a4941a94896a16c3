using WildLong.Core.Graphs;

namespace WildLong.Core.Generation;

/// <summary>
/// Provenance of one training record: which path, documents, prompts, model and seed produced it, and what it
/// costs in tokens. Enough to audit, filter, rebalance or regenerate a record without rerunning the pipeline.
/// <see cref="Citations"/> are the passages the response cites (its <c>[n]</c> markers point into them, 1-based;
/// the markers are stripped from the assistant message unless <see cref="GenerationOptions.StripCitationMarkers"/> is
/// off); <see cref="Refits"/> counts the re-pairings needed because the instruction did not fit earlier document(s).
/// <c>InstructionPosition</c> says whether the user turn puts the request before or after the documents (records
/// written before the setting existed read back as after).
/// </summary>
public sealed record TrainingRecordMeta(
    string Id,
    string DocumentType,
    TaskKind TaskKind,
    string PathKey,
    long PathIndex,
    IReadOnlyList<PathStep> Path,
    IReadOnlyList<string> DocumentIds,
    IReadOnlyList<string> LengthBuckets,
    string AgnosticInstruction,
    string Instruction,
    int PromptTokens,
    int ResponseTokens,
    string Model,
    ulong Seed,
    IReadOnlyList<string> PromptVersions,
    JudgeVerdict Judge,
    IReadOnlyList<ResponseCitation>? Citations = null,
    int Refits = 0,
    InstructionPosition InstructionPosition = InstructionPosition.AfterDocuments);
