using System.Text.Json;

namespace WildLong.Core.Model;

/// <summary>
/// The outcome of one logical model call (possibly several attempts): the text or JSON value, or the reason it
/// failed, which the caller quarantines.
/// </summary>
public sealed record LlmResult(bool Success, string? Text, JsonElement Value, string? FailureReason, int Attempts, string? RawOutput)
{
    public static LlmResult Ok(string text, JsonElement value, int attempts) => new(true, text, value, null, attempts, text);

    public static LlmResult Fail(string reason, int attempts, string? raw) => new(false, null, default, reason, attempts, raw);
}
