namespace WildLong.Core.Generation;

/// <summary>
/// The knobs of the generation rounds (instruction writing, the end of stage 1; pairing, adaptation, answers,
/// judging and dedup, stage 2) in one place, so a run's
/// output is fully described by its configuration and seed. Defaults follow the WildLong paper where it says
/// something and are conservative elsewhere.
/// </summary>
public sealed class GenerationOptions
{
    public const string SectionName = "WildLong:Generation";

    /// <summary>Run seed; with an item's index it fixes task kind, pairing and the seed sent with each model call.</summary>
    public ulong Seed { get; set; } = 2502_16684;

    /// <summary>Share of instructions planned as multi-document tasks (comparison or aggregation).</summary>
    public double MultiDocumentShare { get; set; } = 0.25;

    /// <summary>Among multi-document tasks, the share that are comparisons (the rest are aggregations).</summary>
    public double ComparisonShare { get; set; } = 0.5;

    /// <summary>Fewest documents in a multi-document task.</summary>
    public int MinDocumentsPerTask { get; set; } = 2;

    /// <summary>Most documents in a multi-document task.</summary>
    public int MaxDocumentsPerTask { get; set; } = 4;

    /// <summary>Token budget for the documents of one multi-document task (sum of their token counts).</summary>
    public int MaxMultiDocumentContextTokens { get; set; } = 100_000;

    /// <summary>
    /// Target mix of length buckets (bucket label → weight) for single-document pairing. Empty means the default
    /// mix: equal weight on every length bucket the corpus has documents in, up to <see cref="MaxContextTokens"/>,
    /// so the training set covers the context lengths the user targets instead of the corpus's own distribution.
    /// </summary>
    public Dictionary<string, double> LengthBucketMix { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The longest context (tokens) the user trains for: single-document pairs use only documents below it, and the
    /// default length mix spreads over the buckets that start below it. Default 128K (131,072 tokens).
    /// </summary>
    public int MaxContextTokens { get; set; } = 131_072;

    /// <summary>
    /// Share of training records whose user turn puts the request before the documents (the rest put it after). Only
    /// the training record's layout changes; model calls keep the documents first for prompt caching.
    /// </summary>
    public double InstructionBeforeDocumentsShare { get; set; } = 0.5;

    /// <summary>Lowest judge score (1–5) a pair needs to be kept.</summary>
    public int MinJudgeScore { get; set; } = 4;

    /// <summary>Jaccard similarity of word shingles at or above which two instructions are near-duplicates.</summary>
    public double DedupJaccardThreshold { get; set; } = 0.75;

    /// <summary>Words per shingle for near-duplicate detection.</summary>
    public int DedupShingleSize { get; set; } = 3;

    /// <summary>MinHash functions per signature; must be a multiple of <see cref="DedupLshBands"/>.</summary>
    public int DedupMinHashFunctions { get; set; } = 128;

    /// <summary>LSH bands; more bands find candidates at lower similarity (all candidates are verified exactly).</summary>
    public int DedupLshBands { get; set; } = 32;

    /// <summary>Longest acceptable agnostic instruction, in characters.</summary>
    public int MaxInstructionCharacters { get; set; } = 1_500;

    /// <summary>Longest acceptable adapted instruction, in characters.</summary>
    public int MaxAdaptedInstructionCharacters { get; set; } = 3_000;

    /// <summary>Documents processed concurrently by <see cref="PairGenerator"/> (items of one document run in sequence).</summary>
    public int MaxConcurrentDocuments { get; set; } = 4;

    /// <summary>
    /// The path field that holds the task (the schema's <c>task_request</c>): the instruction writer shows it as the
    /// request's core and the other fields as optional attributes.
    /// </summary>
    public string InstructionTaskField { get; set; } = "task_request";

    /// <summary>
    /// Re-pairings tried when the adapter says an instruction does not fit its document(s): each picks other
    /// document(s) of the same type. 0 quarantines the pair at once.
    /// </summary>
    public int MaxRefitAttempts { get; set; } = 2;

    /// <summary>
    /// Whether the <c>[n]</c> citation markers are removed from the training record's assistant message (the
    /// citations stay in the record's meta). When false the markers stay and a "Sources" list of the quotes follows
    /// the answer, so every marker resolves.
    /// </summary>
    public bool StripCitationMarkers { get; set; } = true;

    public int InstructionWritingMaxOutputTokens { get; set; } = 400;

    public int AdaptationMaxOutputTokens { get; set; } = 800;

    public int ResponseMaxOutputTokens { get; set; } = 4_096;

    public int JudgeMaxOutputTokens { get; set; } = 400;

    /// <summary>Throws when settings contradict each other; called by the stages that use them.</summary>
    public void Validate()
    {
        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new InvalidOperationException($"{SectionName}: {message}");
            }
        }

        Check(MultiDocumentShare is >= 0 and <= 1, "MultiDocumentShare must be between 0 and 1");
        Check(ComparisonShare is >= 0 and <= 1, "ComparisonShare must be between 0 and 1");
        Check(MinDocumentsPerTask >= 2, "MinDocumentsPerTask must be at least 2");
        Check(MaxDocumentsPerTask >= MinDocumentsPerTask, "MaxDocumentsPerTask must be at least MinDocumentsPerTask");
        Check(MaxMultiDocumentContextTokens > 0, "MaxMultiDocumentContextTokens must be positive");
        Check(MaxContextTokens > 0, "MaxContextTokens must be positive");
        Check(InstructionBeforeDocumentsShare is >= 0 and <= 1, "InstructionBeforeDocumentsShare must be between 0 and 1");
        Check(LengthBucketMix.Values.All(w => w >= 0 && double.IsFinite(w)), "LengthBucketMix weights must be finite and non-negative");
        Check(MinJudgeScore is >= 1 and <= 5, "MinJudgeScore must be between 1 and 5");
        Check(DedupJaccardThreshold is > 0 and <= 1, "DedupJaccardThreshold must be in (0, 1]");
        Check(DedupShingleSize >= 1, "DedupShingleSize must be at least 1");
        Check(DedupLshBands >= 1 && DedupMinHashFunctions >= DedupLshBands && DedupMinHashFunctions % DedupLshBands == 0,
            "DedupMinHashFunctions must be a positive multiple of DedupLshBands");
        Check(MaxInstructionCharacters > 0 && MaxAdaptedInstructionCharacters > 0, "instruction length limits must be positive");
        Check(MaxConcurrentDocuments >= 1, "MaxConcurrentDocuments must be at least 1");
        Check(!string.IsNullOrWhiteSpace(InstructionTaskField), "InstructionTaskField must name a field");
        Check(MaxRefitAttempts is >= 0 and <= 10, "MaxRefitAttempts must be between 0 and 10");
        Check(InstructionWritingMaxOutputTokens > 0 && AdaptationMaxOutputTokens > 0 && ResponseMaxOutputTokens > 0 && JudgeMaxOutputTokens > 0,
            "every stage needs a positive max output token limit");
    }
}
