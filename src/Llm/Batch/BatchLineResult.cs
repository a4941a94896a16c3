using Microsoft.Extensions.AI;

namespace WildLong.Llm.Batch;

/// <summary>
/// What became of one batch request: the answer as a <see cref="ChatResponse"/> (so stage code parses batch and
/// online answers alike), or why there is none (a per-line error, an expired window, no line at all) and whether
/// sending it again can help (not for a 4xx such as an unknown deployment or an invalid request).
/// </summary>
public sealed record BatchLineResult(string CustomId, ChatResponse? Response, string? FailureReason, bool Retryable = false)
{
    public bool Succeeded => Response is not null;

    public static BatchLineResult Success(string customId, ChatResponse response) => new(customId, response, null);

    public static BatchLineResult Failure(string customId, string reason, bool retryable) => new(customId, null, reason, retryable);
}
