using WildLong.Pipeline.Documents;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Generation;

namespace WildLong.Pipeline.Runs;

/// <summary>The stage names a run reports progress under (stable strings: clients key progress bars on them).</summary>
public static class RunStageNames
{
    public const string Listing = "listing";
    public const string Extraction = "extraction";
    public const string Indexing = "indexing";
    public const string GraphMerge = "graph-merge";
    public const string Instructions = "instructions";
    public const string Pairing = "pairing";
    public const string Generation = "generation";
    public const string Finalizing = "finalizing";
    public const string Completed = "completed";

    /// <summary>The stage a fanned-out activity's work counts under, or null for an activity no stage fans out.</summary>
    public static string? ForActivity(string activity) => activity switch
    {
        nameof(ExtractQueriesActivity) => Extraction,
        nameof(IndexDocumentsActivity) => Indexing,
        nameof(WriteInstructionsActivity) => Instructions,
        nameof(GeneratePairsActivity) => Generation,
        _ => null,
    };
}
