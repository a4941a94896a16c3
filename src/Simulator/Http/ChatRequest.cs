using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WildLong.Core.Common;

namespace WildLong.Simulator.Http;

/// <summary>
/// A chat-completions request body as the simulator understands it. Parsing is strict about what a real
/// endpoint rejects (no messages, bad max_tokens, a json_schema format without a schema) so clients get the same
/// 400s they would get from Azure, and lenient about the rest (unknown fields are ignored).
/// </summary>
internal sealed partial class ChatRequest
{
    private ChatRequest(string deployment, IReadOnlyList<ChatTurn> messages)
    {
        Deployment = deployment;
        Messages = messages;
    }

    public string Deployment { get; }

    public IReadOnlyList<ChatTurn> Messages { get; }

    /// <summary>The strict JSON schema of <c>response_format: json_schema</c>, when given.</summary>
    public JsonElement? Schema { get; private init; }

    public string? SchemaName { get; private init; }

    /// <summary><c>response_format: json_object</c> without a schema.</summary>
    public bool JsonObjectMode { get; private init; }

    public int? MaxTokens { get; private init; }

    public long? Seed { get; private init; }

    public bool Stream { get; private init; }

    public bool StreamIncludeUsage { get; private init; }

    /// <summary>A stable hash of everything that determines the answer (messages, format, seed).</summary>
    public ulong ContentHash { get; private init; }

    /// <summary>The instructions: the system (and developer) messages, one per line.</summary>
    public string SystemText => string.Join('\n', Messages.Where(m => m.Role is "system" or "developer").Select(m => m.Text));

    /// <summary>
    /// Short phrases the system messages put in double quotes (e.g. refer to it as "the document"): instructions an
    /// obedient model honours, so prose answers mention them.
    /// </summary>
    public IReadOnlyList<string> SystemQuotedPhrases => [.. QuotedPhrase().Matches(SystemText)
        .Select(match => match.Groups[1].Value)
        .Where(p => p.Split(' ').Length <= 4 && !p.Contains('{', StringComparison.Ordinal) && !p.Contains('<', StringComparison.Ordinal)
            && !p.Contains('|', StringComparison.Ordinal) && !p.TrimStart().StartsWith(':'))
        .Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// In a structured-output repair turn (the last message is a user message answering the model's JSON), the first
    /// short phrase that message puts in double quotes (e.g. rejected: must refer to them as "these documents" or …):
    /// the wording the correction asks for, which an instruction-following model uses in its retry. Null otherwise.
    /// </summary>
    public string? RepairQuotedPhrase
    {
        get
        {
            if (!IsRepairTurn)
            {
                return null;
            }

            return QuotedPhrase().Matches(Messages[^1].Text)
                .Select(match => match.Groups[1].Value)
                .FirstOrDefault(p => p.Length > 0 && p.Split(' ').Length <= 4 && !p.Contains('{', StringComparison.Ordinal) && !p.Contains('<', StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// The text of the task the answer should look like: the last user message, except in a structured-output
    /// repair turn (user → assistant JSON → user "your answer was rejected"), where it is the user message the first
    /// rejected JSON answered (however many repairs followed), so a retry draws its values from the task rather than from the complaint.
    /// </summary>
    public string TaskText => TaskIndex is var task and >= 0 ? Messages[task].Text : Messages[^1].Text;

    /// <summary>The index of the message <see cref="TaskText"/> reads (-1 when there is no user message).</summary>
    private int TaskIndex
    {
        get
        {
            var last = LastIndex(Messages.Count - 1, "user");

            // Each repair turn follows the rejected JSON; walk back over all of them to the task.
            while (Schema is not null && last > 0 && Messages[last - 1].Role == "assistant" && LooksLikeJson(Messages[last - 1].Text))
            {
                var previous = LastIndex(last - 2, "user");
                if (previous < 0)
                {
                    break;
                }

                last = previous;
            }

            return last;
        }
    }

    /// <summary>
    /// In a structured-output repair turn, the request as it was before the first rejected answer (the messages up
    /// to the task, the same format, seed and limits); null for any other request. Its answer is what the model meant
    /// to give before a fault damaged it (see <c>CompletionGenerator</c>).
    /// </summary>
    public ChatRequest? OriginalTask()
    {
        if (!IsRepairTurn || TaskIndex is not (var task and >= 0))
        {
            return null;
        }

        return Create(Deployment, [.. Messages.Take(task + 1)], Schema, SchemaName, JsonObjectMode, MaxTokens, Seed, Stream, StreamIncludeUsage);
    }

    /// <summary>The answers the model gave earlier in this conversation (assistant messages).</summary>
    public IEnumerable<string> EarlierAnswers => Messages.Where(m => m.Role == "assistant").Select(m => m.Text);

    private bool IsRepairTurn
        => Schema is not null && Messages.Count >= 2 && Messages[^1].Role == "user" && Messages[^2].Role == "assistant" && LooksLikeJson(Messages[^2].Text);

    private int LastIndex(int from, string role)
    {
        for (var i = from; i >= 0; i--)
        {
            if (Messages[i].Role == role)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool LooksLikeJson(string text)
    {
        var trimmed = text.TrimStart();
        return trimmed.StartsWith('{') || trimmed.StartsWith('[');
    }

    public static ChatRequest? Parse(JsonNode? body, string? routeDeployment, out string? error)
    {
        error = null;
        if (body is not JsonObject root)
        {
            error = "The request body must be a JSON object.";
            return null;
        }

        var deployment = routeDeployment ?? ReadString(root, "model");
        if (string.IsNullOrWhiteSpace(deployment))
        {
            error = "'model' is a required property.";
            return null;
        }

        if (root["messages"] is not JsonArray messageArray || messageArray.Count == 0)
        {
            error = "'messages' must be a non-empty array.";
            return null;
        }

        var messages = new List<ChatTurn>(messageArray.Count);
        for (var i = 0; i < messageArray.Count; i++)
        {
            if (messageArray[i] is not JsonObject message || ReadString(message, "role") is not { Length: > 0 } role)
            {
                error = $"'messages[{i}]' must be an object with a 'role'.";
                return null;
            }

            if (!TryReadContent(message["content"], out var text))
            {
                error = $"'messages[{i}].content' must be a string, an array of content parts, or null.";
                return null;
            }

            messages.Add(new ChatTurn(role, text));
        }

        int? maxTokens = null;
        foreach (var name in new[] { "max_completion_tokens", "max_tokens" })
        {
            if (root[name] is JsonNode node && node.GetValueKind() != JsonValueKind.Null)
            {
                if (node.GetValueKind() != JsonValueKind.Number || !node.AsValue().TryGetValue<int>(out var value) || value <= 0)
                {
                    error = $"'{name}' must be a positive integer.";
                    return null;
                }

                maxTokens ??= value;
            }
        }

        long? seed = null;
        if (root["seed"] is JsonNode seedNode && seedNode.GetValueKind() == JsonValueKind.Number)
        {
            if (!seedNode.AsValue().TryGetValue<long>(out var s))
            {
                error = "'seed' must be an integer.";
                return null;
            }

            seed = s;
        }

        JsonElement? schema = null;
        string? schemaName = null;
        var jsonObject = false;
        if (root["response_format"] is JsonObject format)
        {
            switch (ReadString(format, "type"))
            {
                case "json_schema":
                    if (format["json_schema"] is not JsonObject spec || spec["schema"] is not JsonObject schemaObject)
                    {
                        error = "'response_format.json_schema.schema' must be a JSON object when type is 'json_schema'.";
                        return null;
                    }

                    schema = JsonSerializer.SerializeToElement(schemaObject);
                    schemaName = ReadString(spec, "name");
                    break;
                case "json_object":
                    jsonObject = true;
                    break;
                case "text" or null:
                    break;
                default:
                    error = $"Invalid value for 'response_format.type': '{ReadString(format, "type")}'.";
                    return null;
            }
        }

        var stream = root["stream"] is JsonNode streamNode && streamNode.GetValueKind() == JsonValueKind.True;
        var includeUsage = root["stream_options"]?["include_usage"] is JsonNode usageNode && usageNode.GetValueKind() == JsonValueKind.True;

        return Create(deployment, messages, schema, schemaName, jsonObject, maxTokens, seed, stream, includeUsage);
    }

    private static ChatRequest Create(string deployment, List<ChatTurn> messages, JsonElement? schema, string? schemaName, bool jsonObject, int? maxTokens, long? seed, bool stream, bool includeUsage)
        => new(deployment, messages)
        {
            Schema = schema,
            SchemaName = schemaName,
            JsonObjectMode = jsonObject,
            MaxTokens = maxTokens,
            Seed = seed,
            Stream = stream,
            StreamIncludeUsage = includeUsage,
            ContentHash = Hash(messages, schema, seed),
        };

    private static ulong Hash(List<ChatTurn> messages, JsonElement? schema, long? seed)
    {
        var canonical = new StringBuilder();
        foreach (var message in messages)
        {
            canonical.Append(message.Role).Append('\u0001').Append(message.Text).Append('\u0002');
        }

        canonical.Append('\u0003').Append(schema?.GetRawText()).Append('\u0003').Append(seed?.ToString(CultureInfo.InvariantCulture));
        return StableHash.Hash64(canonical.ToString());
    }

    private static string? ReadString(JsonObject node, string name)
        => node[name] is JsonNode value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    private static bool TryReadContent(JsonNode? content, out string text)
    {
        text = string.Empty;
        switch (content?.GetValueKind())
        {
            case null or JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                text = content.GetValue<string>();
                return true;
            case JsonValueKind.Array:
                var parts = new List<string>();
                foreach (var part in content.AsArray())
                {
                    if (part is JsonObject partObject && ReadString(partObject, "text") is { } partText)
                    {
                        parts.Add(partText);
                    }
                }

                text = string.Join("\n", parts);
                return true;
            default:
                return false;
        }
    }

    // Not a JSON key ("instruction": …): a reply format is not a phrase to mention.
    [GeneratedRegex("\"([^\"\n]{3,40})\"(?!\\s*:)")]
    private static partial Regex QuotedPhrase();
}
