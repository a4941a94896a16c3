namespace WildLong.Functions.Http;

/// <summary>
/// The body of <c>POST /api/runs</c>: blob prefixes of the inputs (empty = the whole container) and the run's settings.
/// Without <see cref="RunId"/> the id is derived from the rest, so posting the same body twice is one run.
/// </summary>
public sealed record StartRunBody(
    string? QueriesPrefix,
    string? DocumentsPrefix,
    int? Pairs,
    ulong? Seed,
    double? MultiDocumentShare = null,
    string? RunId = null);
