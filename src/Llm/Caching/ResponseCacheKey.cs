using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using WildLong.Core.Common;
using WildLong.Core.Model;

namespace WildLong.Llm.Caching;

/// <summary>
/// The content address of a chat request: SHA-256 over everything that changes the answer (cache namespace, the
/// identity of who answers — provider, full endpoint with port and path, deployment, API version, see
/// <see cref="ModelIdentity"/> —, model, every message's role and text, response format with its schema, max output tokens,
/// temperature, top-p, top-k, penalties, seed, stop sequences, reasoning and extra wire properties) and nothing
/// that does not (the stage tag). Two requests share a key only when the model would see the same request.
/// </summary>
public static class ResponseCacheKey
{
    private const string Scheme = "wildlong-response-cache/2";

    /// <summary>
    /// The key of a request, or null when the request cannot be addressed faithfully (tools, or message content
    /// other than text), in which case it must not be cached.
    /// </summary>
    public static string? Compute(string cacheNamespace, string identity, string? model, IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(cacheNamespace);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(messages);
        if (options?.Tools is { Count: > 0 })
        {
            return null;
        }

        var parts = new List<string>
        {
            Scheme,
            cacheNamespace,
            identity,
            model ?? string.Empty,
            Describe(options?.ResponseFormat),
            Number(options?.MaxOutputTokens),
            Number(options?.Temperature),
            Number(options?.TopP),
            Number(options?.TopK),
            Number(options?.FrequencyPenalty),
            Number(options?.PresencePenalty),
            Number(options?.Seed),
            options?.Instructions ?? "\0",
            options?.Reasoning is { } reasoning ? $"{reasoning.Effort}|{reasoning.Output}" : "\0",
        };

        var stops = options?.StopSequences ?? [];
        parts.Add(Count(stops.Count));
        parts.AddRange(stops);

        var extra = options?.AdditionalProperties?
            .Where(p => !string.Equals(p.Key, LlmCaller.StageKey, StringComparison.Ordinal))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .ToList() ?? [];
        parts.Add(Count(extra.Count));
        foreach (var (name, value) in extra)
        {
            parts.Add(name);
            parts.Add(value switch
            {
                null => "\0",
                JsonElement json => json.GetRawText(),
                IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString() ?? string.Empty,
            });
        }

        var count = 0;
        foreach (var message in messages)
        {
            if (message.Contents.Any(c => c is not TextContent))
            {
                return null;
            }

            parts.Add(message.Role.Value);
            parts.Add(message.Text);
            count++;
        }

        parts.Add(Count(count));
        return StableHash.ContentAddress([.. parts]);
    }

    /// <summary>True for a well-formed key (64 lowercase hex digits); stores use it before building paths.</summary>
    public static bool IsValid(string? key)
        => key is { Length: 64 } && key.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));

    private static string Describe(ChatResponseFormat? format) => format switch
    {
        null => "format:default",
        ChatResponseFormatText => "format:text",
        ChatResponseFormatJson json => string.Join('\u0001', "format:json", json.SchemaName ?? string.Empty,
            json.SchemaDescription ?? string.Empty, json.Schema is { } schema ? JsonSerializer.Serialize(schema) : string.Empty),
        _ => "format:" + format.GetType().FullName,
    };

    private static string Count(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number<T>(T? value)
        where T : struct, IFormattable
        => value is { } v ? v.ToString(null, CultureInfo.InvariantCulture) : "\0";
}
