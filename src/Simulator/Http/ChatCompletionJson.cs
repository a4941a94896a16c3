using System.Text.Json.Nodes;
using WildLong.Simulator.Generation;

namespace WildLong.Simulator.Http;

/// <summary>The wire shapes of a chat completion (whole and streamed), shared by the HTTP endpoint and batches.</summary>
internal static class ChatCompletionJson
{
    public static string Model(string deployment) => "wildlong-simulator/" + deployment;

    public static JsonObject Completion(string id, long created, string deployment, GeneratedCompletion completion, int promptTokens, int cachedTokens) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion",
        ["created"] = created,
        ["model"] = Model(deployment),
        ["system_fingerprint"] = "fp_wildlong_sim",
        ["choices"] = new JsonArray(new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = completion.Content, ["refusal"] = null },
            ["logprobs"] = null,
            ["finish_reason"] = completion.FinishReason,
        }),
        ["usage"] = Usage(promptTokens, completion.CompletionTokens, cachedTokens),
    };

    public static JsonObject Usage(int promptTokens, int completionTokens, int cachedTokens) => new()
    {
        ["prompt_tokens"] = promptTokens,
        ["completion_tokens"] = completionTokens,
        ["total_tokens"] = promptTokens + completionTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = cachedTokens, ["audio_tokens"] = 0 },
        ["completion_tokens_details"] = new JsonObject
        {
            ["reasoning_tokens"] = 0,
            ["audio_tokens"] = 0,
            ["accepted_prediction_tokens"] = 0,
            ["rejected_prediction_tokens"] = 0,
        },
    };

    public static JsonObject Chunk(string id, long created, string deployment, JsonObject? delta, string? finishReason, JsonObject? usage = null) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = created,
        ["model"] = Model(deployment),
        ["system_fingerprint"] = "fp_wildlong_sim",
        ["choices"] = delta is null
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["logprobs"] = null, ["finish_reason"] = finishReason }),
        ["usage"] = usage,
    };
}
