namespace WildLong.Storage;

/// <summary>
/// Table names for small, frequently updated records (run state, per-stage usage), which fit Table Storage better
/// than blobs. Names must follow Azure's rules (3–63 letters and digits, starting with a letter).
/// </summary>
public sealed class StorageTableNames
{
    /// <summary>One row per pipeline run: configuration, status, timestamps.</summary>
    public string Runs { get; set; } = "WildLongRuns";

    /// <summary>Token usage and cost per run and stage.</summary>
    public string Usage { get; set; } = "WildLongUsage";

    /// <summary>Global Batch jobs per run: file ids, status, resubmissions.</summary>
    public string BatchJobs { get; set; } = "WildLongBatchJobs";

    /// <summary>Compacted co-occurrence totals per document type: what graph export and generation read.</summary>
    public string Graph { get; set; } = "WildLongGraph";

    /// <summary>Per-shard co-occurrence contributions and the ledger saying which version of each shard counts.</summary>
    public string GraphShards { get; set; } = "WildLongGraphShards";

    /// <summary>The document index: one row per long document (type, tokens, length bucket, where its text is).</summary>
    public string Documents { get; set; } = "WildLongDocuments";

    /// <summary>One row per worker process per deployment: the heartbeats that split a deployment's quota between workers.</summary>
    public string QuotaShares { get; set; } = "WildLongQuotaShares";
}
