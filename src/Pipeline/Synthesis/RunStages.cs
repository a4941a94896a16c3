using WildLong.Core.Generation;
using WildLong.Core.Instructions;

namespace WildLong.Pipeline.Synthesis;

/// <summary>The stage-2 components configured for one run's settings (seed, multi-document share).</summary>
public sealed record RunStages(
    GenerationOptions Options,
    InstructionWriter Writer,
    DocumentPairer Pairer,
    PairGenerator Generator,
    NearDuplicateFilter Deduplicator);
