namespace WildLong.Core;

/// <summary>
/// The one vocabulary of stage names, shared by everything that names a step of a run: the usage ledger (tokens,
/// calls and cost per stage), progress (the in-process runner's and the durable run's custom status), quarantine
/// entries, <c>manifest.json</c>, the dataset report and the README. Both engines report under these names, so a
/// progress label, a ledger row and a quarantine reason about the same work read the same.
/// </summary>
/// <remarks>
/// The strings are persisted — in <c>quarantine.jsonl</c>, <c>manifest.json</c>, <c>report.json</c>, a run's
/// usage ledger and batch-mode request ids — and the method steps' names also enter the seeds of their model calls
/// and random draws, so changing one changes datasets and their response-cache keys. Add names; do not rename them.
/// In the paper's terms, stage 1 takes real queries to document-agnostic instructions (<see cref="ReadQueries"/> to
/// <see cref="InstructionWriting"/>) and stage 2 takes documents, pairing and answers to long-context pairs
/// (<see cref="ReadDocuments"/> to <see cref="NearDuplicateFilter"/>); the run phases (<see cref="Listing"/>,
/// <see cref="GraphMerge"/>, <see cref="Finalizing"/>, <see cref="Completed"/>) are steps of the durable run only.
/// </remarks>
public static class StageNames
{
    /// <summary>Stage 1: reading query files (JSONL, Parquet); bad files, lines and records are quarantined here.</summary>
    public const string ReadQueries = "read-queries";

    /// <summary>
    /// Stage 1: the model call that extracts meta-information from a query (and says whether it brings or refers to
    /// a document). As a progress stage it covers a whole extraction slice: read, pre-filter, extract, normalize.
    /// </summary>
    public const string MetaInfoExtraction = "metainfo-extraction";

    /// <summary>Stage 1: normalizing extracted values (canonical forms, synonyms, near-duplicate merges).</summary>
    public const string MetaInfoNormalization = "metainfo-normalization";

    /// <summary>Stage 1: writing a document-agnostic instruction for each sampled graph path (one model call each).</summary>
    public const string InstructionWriting = "instruction-writing";

    /// <summary>Stage 2: reading the corpus (JSONL, text and Markdown files).</summary>
    public const string ReadDocuments = "read-documents";

    /// <summary>Stage 2: classifying a document into the taxonomy when its hint does not settle it (one model call).</summary>
    public const string ClassifyDocuments = "classify-documents";

    /// <summary>Stage 2: counting, bucketing and indexing documents; as a progress stage, one corpus slice.</summary>
    public const string IndexDocuments = "index-documents";

    /// <summary>Stage 2: pairing each instruction with document(s) of its type under the length-bucket mix.</summary>
    public const string Pairing = "pairing";

    /// <summary>
    /// Stage 2: generating one pair — adaptation, answer and judge together; as a progress stage, one slice of the
    /// round's plan. Quarantine entries name the step inside it that dropped the pair when it is one of the three below.
    /// </summary>
    public const string PairGeneration = "pair-generation";

    /// <summary>Stage 2: adapting the generic instruction to its documents (or saying it does not fit them).</summary>
    public const string InstructionAdaptation = "instruction-adaptation";

    /// <summary>Stage 2: answering the adapted instruction from the full documents, citing passages.</summary>
    public const string ResponseGeneration = "response-generation";

    /// <summary>Stage 2: the LLM judge that scores each pair and rejects those below the threshold.</summary>
    public const string QualityJudge = "quality-judge";

    /// <summary>Stage 2: MinHash near-duplicate removal of instructions and of pairs.</summary>
    public const string NearDuplicateFilter = "near-duplicate-filter";

    /// <summary>Reading training records back from a <c>pairs.jsonl</c> (report, resume); not a step of a run.</summary>
    public const string TrainingRecords = "training-records";

    /// <summary>Durable run phase: listing the query shards and corpus files the run names.</summary>
    public const string Listing = "listing";

    /// <summary>Durable run phase: merging each query shard's graph contribution into the counted graphs.</summary>
    public const string GraphMerge = "graph-merge";

    /// <summary>Durable run phase: writing the dataset (pairs, manifest, quarantine, card, report).</summary>
    public const string Finalizing = "finalizing";

    /// <summary>Durable run phase: the run has ended and its dataset is written.</summary>
    public const string Completed = "completed";
}
