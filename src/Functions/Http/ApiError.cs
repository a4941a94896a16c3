namespace WildLong.Functions.Http;

/// <summary>The body of every 4xx/5xx answer of the HTTP API: one sentence saying what is wrong.</summary>
public sealed record ApiError(string Error);
