namespace WildLong.Functions.Http;

/// <summary>Why a run failed, as the orchestration recorded it (shown by <c>GET /api/runs/{id}</c>).</summary>
public sealed record RunFailureView(string ErrorType, string ErrorMessage);
