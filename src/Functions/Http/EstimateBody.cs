namespace WildLong.Functions.Http;

/// <summary>
/// The body of <c>POST /api/estimate</c>: the inputs a run would read (blob prefixes), the pairs it would make (default
/// <c>WildLong:Run:Pairs</c>), the multi-document share (default <c>WildLong:Generation</c>) and whether to price at
/// the batch discount.
/// </summary>
public sealed record EstimateBody(string? QueriesPrefix, string? DocumentsPrefix, int? Pairs = null, double? MultiDocumentShare = null, bool Batch = false);
