using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace WildLong.Core.Tests.MetaInfo;

/// <summary>Builds model answers for the default schema and reads the query back out of an extraction prompt.</summary>
internal static class ScriptedMetaInfo
{
    private const string Start = "<<<REQUEST\n";
    private const string End = "\nREQUEST>>>";

    public static string Answer(bool refers, string documentType, string[] task, string? domain = null, string[]? constraints = null, string? language = "English")
    {
        var answer = new JsonObject
        {
            ["refers_to_document"] = refers,
            ["document_type"] = documentType,
            ["task_request"] = new JsonArray([.. task.Select(t => Value(t))]),
            ["user_intent"] = null,
            ["knowledge_required"] = new JsonArray(),
            ["user_profile"] = null,
            ["domain"] = domain is null ? null : Value(domain),
            ["output_format"] = null,
            ["constraints"] = new JsonArray([.. (constraints ?? []).Select(c => Value(c))]),
            ["reasoning_type"] = null,
            ["tone_style"] = null,
            ["length_requirement"] = null,
            ["language"] = language,
            ["multi_document_need"] = false,
        };
        return answer.ToJsonString();
    }

    /// <summary>A vocabulary answer: the canonical value and the user's words.</summary>
    public static JsonObject Value(string value, string? detail = null) => new() { ["value"] = value, ["detail"] = detail };

    /// <summary>The request text as placed in the (first) user message of an extraction prompt.</summary>
    public static string QueryOf(IReadOnlyList<ChatMessage> messages)
    {
        var user = messages.First(m => m.Role == ChatRole.User).Text;
        var start = user.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        var end = user.LastIndexOf(End, StringComparison.Ordinal);
        return user[start..end];
    }

    /// <summary>The first (up to) five words of a query, used as a task value that proves which query an answer came from.</summary>
    public static string FirstWords(string query)
    {
        var words = string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(5));
        return words.Length <= 100 ? words : words[..100];
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();
}
