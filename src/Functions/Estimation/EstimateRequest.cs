using WildLong.Storage.Blobs;

namespace WildLong.Functions.Estimation;

/// <summary>
/// Input of <see cref="EstimateOrchestrator"/> and its activity (<see cref="InputsEstimator"/>): the validated body of
/// <c>POST /api/estimate</c> and the blob the answer is written to (orchestrations carry the reference, not the answer).
/// </summary>
public sealed record EstimateRequest(string? QueriesPrefix, string? DocumentsPrefix, int? Pairs, double? MultiDocumentShare, bool Batch, BlobRef Result);
