using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;

namespace WildLong.Core.Queries;

/// <summary>
/// Reads user queries from JSONL in the layouts real chat logs come in: our shared format (<c>id</c>, <c>text</c>,
/// <c>source</c>, <c>language</c>), WildChat's own rows (a <c>conversation</c> array whose first user turn is the
/// query) and flat <c>prompt</c> rows (WildChat-MCP). Every unusable line becomes a quarantine entry and reading
/// goes on, so one bad record never costs the rest of a shard.
/// </summary>
public sealed class JsonlQueryReader
{
    private readonly QueryReaderOptions options;

    public JsonlQueryReader(IOptions<QueryReaderOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
    }

    /// <summary>Reads a JSONL file; a missing or unreadable file is one error result, not an exception.</summary>
    public IAsyncEnumerable<ReadResult<UserQuery>> ReadAsync(string path, CancellationToken cancellationToken = default)
        => InputFiles.ReadFileAsync<UserQuery>(path, StageNames.ReadQueries, ReadAsync, cancellationToken);

    /// <summary>Reads JSONL from a stream; <paramref name="sourceName"/> names it in origins and errors.</summary>
    public async IAsyncEnumerable<ReadResult<UserQuery>> ReadAsync(Stream stream, string sourceName, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        var defaultSource = options.DefaultSource ?? Path.GetFileNameWithoutExtension(sourceName);
        var fileName = Path.GetFileName(sourceName);
        await foreach (var line in JsonlInput.ReadAsync(stream, options.MaxLineBytes, cancellationToken))
        {
            if (line.IsError)
            {
                yield return ReadResult<UserQuery>.Fail(QuarantineEntry.ForInput(StageNames.ReadQueries, sourceName, line.LineNumber, line.Error!));
                continue;
            }

            yield return Parse(line.Text!, sourceName, fileName, line.LineNumber, defaultSource);
        }
    }

    private static ReadResult<UserQuery> Parse(string text, string sourceName, string fileName, long lineNumber, string defaultSource)
    {
        using var document = JsonFields.TryParseObject(text, out var parseError);
        if (document is null)
        {
            return Fail(parseError!);
        }

        var root = document.RootElement;
        var query = root.TryGetProperty("conversation", out var conversation) && conversation.ValueKind != JsonValueKind.Null
            ? FromConversation(root, conversation, out var error)
            : FromFlat(root, out error);
        if (query is null)
        {
            return Fail(error!);
        }

        if (!JsonFields.TryGetOptionalString(root, "language", out var language, out error)
            || !JsonFields.TryGetOptionalString(root, "source", out var source, out error))
        {
            return Fail(error!, query.Value.Id);
        }

        if (string.IsNullOrWhiteSpace(query.Value.Text))
        {
            return Fail("empty query text", query.Value.Id);
        }

        var id = query.Value.Id ?? $"{fileName}:{lineNumber}";
        return ReadResult<UserQuery>.Ok(new UserQuery(
            id,
            query.Value.Text,
            source ?? query.Value.ImpliedSource ?? defaultSource,
            language,
            $"{sourceName}:{lineNumber}"));

        ReadResult<UserQuery> Fail(string reason, string? itemId = null)
            => ReadResult<UserQuery>.Fail(QuarantineEntry.ForInput(StageNames.ReadQueries, sourceName, lineNumber, reason, itemId));
    }

    /// <summary>WildChat layout: the first turn with role "user"; id from the conversation hash or id.</summary>
    private static (string? Id, string Text, string? ImpliedSource)? FromConversation(JsonElement root, JsonElement conversation, out string? error)
    {
        if (conversation.ValueKind != JsonValueKind.Array)
        {
            error = $"field 'conversation' must be an array of turns, got {JsonFields.Describe(conversation.ValueKind)}";
            return null;
        }

        if (!TryGetId(root, out var id, out error, "conversation_hash", "conversation_id", "id"))
        {
            return null;
        }

        var index = 0;
        foreach (var turn in conversation.EnumerateArray())
        {
            if (turn.ValueKind != JsonValueKind.Object)
            {
                error = $"conversation turn {index} must be an object, got {JsonFields.Describe(turn.ValueKind)}";
                return null;
            }

            if (!JsonFields.TryGetOptionalString(turn, "role", out var role, out error))
            {
                error = $"conversation turn {index}: {error}";
                return null;
            }

            if (string.Equals(role, "user", StringComparison.OrdinalIgnoreCase))
            {
                if (!JsonFields.TryGetRequiredString(turn, "content", out var content, out error))
                {
                    error = $"first user turn (turn {index}): {error}";
                    return null;
                }

                return (id, content, "wildchat");
            }

            index++;
        }

        error = "conversation has no user turn";
        return null;
    }

    /// <summary>Shared format (<c>text</c>) or WildChat-MCP (<c>prompt</c>).</summary>
    private static (string? Id, string Text, string? ImpliedSource)? FromFlat(JsonElement root, out string? error)
    {
        if (!TryGetId(root, out var id, out error, "id", "conversation_hash", "conversation_id"))
        {
            return null;
        }

        var field = root.TryGetProperty("text", out var textElement) && textElement.ValueKind != JsonValueKind.Null ? "text"
            : root.TryGetProperty("prompt", out _) ? "prompt"
            : null;
        if (field is null)
        {
            error = "missing field 'text' (or 'prompt', or a WildChat 'conversation')";
            return null;
        }

        return JsonFields.TryGetRequiredString(root, field, out var text, out error) ? (id, text, null) : null;
    }

    /// <summary>The first present id field; ids may be strings or numbers.</summary>
    private static bool TryGetId(JsonElement root, out string? id, out string? error, params string[] fields)
    {
        foreach (var field in fields)
        {
            if (!JsonFields.TryGetOptionalString(root, field, out id, out error, allowNumber: true))
            {
                return false;
            }

            if (!string.IsNullOrWhiteSpace(id))
            {
                return true;
            }
        }

        id = null;
        error = null;
        return true;
    }
}
