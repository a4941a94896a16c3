using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WildLong.Core.Common;
using WildLong.Simulator.Http;

namespace WildLong.Simulator.Generation;

/// <summary>
/// Produces the assistant's answer for a request: a schema-valid instance for structured output, otherwise free
/// text that quotes the request's long document when there is one; then applies <c>max_tokens</c> and the
/// content faults (truncation, schema violation). Shared by the chat endpoint and the batch runner.
/// </summary>
internal static class CompletionGenerator
{
    /// <summary>A message this long (in characters) is treated as a document the answer should quote.</summary>
    private const int LongDocumentChars = 2_000;

    public static GeneratedCompletion Generate(ChatRequest request, long seed, int defaultMaxTokens, FaultKind fault)
    {
        ArgumentNullException.ThrowIfNull(request);
        var random = new DeterministicRandom(StableHash.Mix((ulong)seed, request.ContentHash));
        var lastUser = SourceText.From(request.TaskText);
        string content;
        if (request.Schema is JsonElement schema)
        {
            var textHash = StableHash.Hash64(request.TaskText);
            var longest = request.Messages.MaxBy(m => m.Text.Length)!;
            var documents = longest.Text.Length >= LongDocumentChars ? SuppliedDocuments.Split(longest.Text) : [];

            // A retry after a rejection that quotes the wording it expects uses that wording, as a model following
            // the correction would; otherwise the phrases the system text quotes.
            var required = request.RepairQuotedPhrase is { } asked ? [asked] : request.SystemQuotedPhrases;
            var instance = MeantAnswer(request, seed, defaultMaxTokens) is { } meant
                ? JsonNode.Parse(meant)
                : new StructuredOutputGenerator(schema, lastUser, textHash, random, required, SourceText.From(request.SystemText), documents,
                    request.TaskText, StableHash.Mix((ulong)seed, request.ContentHash)).Generate();
            if (fault == FaultKind.SchemaViolation)
            {
                instance = Violate(schema, instance);
            }

            content = instance?.ToJsonString(WildLongJson.Options) ?? "null";
        }
        else
        {
            content = FreeText(request, lastUser, random);
            if (request.JsonObjectMode)
            {
                content = new JsonObject { ["answer"] = content }.ToJsonString(WildLongJson.Options);
            }
        }

        var limit = request.MaxTokens ?? defaultMaxTokens;
        var tokens = PromptTokens.Count(content);
        if (fault == FaultKind.TruncatedContent)
        {
            limit = Math.Min(limit, Math.Max(1, tokens / 2));
        }

        if (tokens > limit)
        {
            var cut = PromptTokens.Truncate(content, limit);
            return new GeneratedCompletion(cut, "length", PromptTokens.Count(cut));
        }

        return new GeneratedCompletion(content, "stop", tokens);
    }

    /// <summary>
    /// In a repair turn, the answer the model gave (or meant to give) to the task before any rejection, when that
    /// answer is complete and none of the rejected answers is it: the rejections were then of copies a fault damaged
    /// (schema violation, truncation), and a model asked to fix its answer keeps its content. Null otherwise — the
    /// model's own answer was rejected, so it answers anew.
    /// </summary>
    private static string? MeantAnswer(ChatRequest request, long seed, int defaultMaxTokens)
    {
        if (request.OriginalTask() is not { } task)
        {
            return null;
        }

        var meant = Generate(task, seed, defaultMaxTokens, FaultKind.None);
        return meant.FinishReason == "stop" && !request.EarlierAnswers.Contains(meant.Content, StringComparer.Ordinal) ? meant.Content : null;
    }

    private static string FreeText(ChatRequest request, SourceText lastUser, DeterministicRandom random)
    {
        var longest = request.Messages.MaxBy(m => m.Text.Length)!;
        var answer = new StringBuilder();
        if (longest.Text.Length >= LongDocumentChars)
        {
            var document = SourceText.From(longest.Text);
            if (document.Sentences.Count > 0)
            {
                var count = Math.Min(document.Sentences.Count, random.NextInt(2, 4));
                var picked = new SortedSet<int>();
                while (picked.Count < count)
                {
                    picked.Add(random.NextInt(document.Sentences.Count));
                }

                answer.Append("Based on the document, these passages answer the request:\n\n");
                foreach (var index in picked)
                {
                    answer.Append("> ").Append(document.Sentences[index]).Append("\n\n");
                }

                var topics = Topics(lastUser.Phrases.Count > 0 ? lastUser : document, random, 2);
                answer.Append("In short, the document speaks to ").Append(topics).Append('.');
                return answer.ToString();
            }
        }

        answer.Append("Here is a simulated answer about ").Append(Topics(lastUser, random, 1)).Append(". ");
        if (lastUser.Sentences.Count > 0)
        {
            answer.Append("You asked: \"").Append(lastUser.Sentences[random.NextInt(lastUser.Sentences.Count)]).Append("\" ");
        }

        answer.Append("The key points are ").Append(Topics(lastUser, random, 3)).Append('.');
        return answer.ToString();
    }

    private static string Topics(SourceText text, DeterministicRandom random, int count)
    {
        if (text.Phrases.Count == 0)
        {
            return "the request";
        }

        var chosen = Enumerable.Range(0, count).Select(_ => text.Phrases[random.NextInt(text.Phrases.Count)]).Distinct().ToList();
        return chosen.Count == 1 ? chosen[0] : string.Join(", ", chosen[..^1]) + " and " + chosen[^1];
    }

    /// <summary>Valid JSON that breaks the schema: a required property goes missing, or the shape is wrong.</summary>
    private static JsonNode? Violate(JsonElement schema, JsonNode? instance)
    {
        if (instance is JsonObject obj && schema.TryGetProperty("required", out var required)
            && required.ValueKind == JsonValueKind.Array && required.GetArrayLength() > 0)
        {
            obj.Remove(required[0].GetString() ?? string.Empty);
            return obj;
        }

        return instance is JsonArray ? new JsonObject { ["unexpected"] = true } : new JsonArray(JsonValue.Create("unexpected"));
    }
}
