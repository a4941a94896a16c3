namespace WildLong.Storage.Runs;

/// <summary>
/// The durable record of one pipeline run (what was asked, where its dataset goes, how it is going), so status and
/// history survive the process that started the run. <see cref="Status"/> is free text owned by the orchestration.
/// </summary>
public sealed record RunRecord(
    string RunId,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    int Pairs,
    ulong Seed,
    string ConfigurationJson,
    string DatasetPrefix,
    string? SummaryJson = null);
