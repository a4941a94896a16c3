namespace WildLong.Functions.Http;

/// <summary>
/// The body of <c>POST /api/generations</c>: a dataset from the graphs already merged. Without <see cref="RunId"/> the
/// id is derived from the settings and the current graph state, so the same body is one generation until new shards land.
/// </summary>
public sealed record StartGenerationBody(int? Pairs, ulong? Seed, double? MultiDocumentShare = null, string? RunId = null);
