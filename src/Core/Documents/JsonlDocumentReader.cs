using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;

namespace WildLong.Core.Documents;

/// <summary>
/// Reads corpus documents from JSONL (<c>id</c>, <c>title</c>, <c>text</c>, <c>source</c>, <c>doc_type_hint</c>,
/// <c>license</c>, <c>origin</c>). License and origin travel with each document so every generated example can
/// be traced to its source and its terms. Unusable lines become quarantine entries; reading goes on.
/// </summary>
public sealed class JsonlDocumentReader
{
    private readonly DocumentOptions options;

    public JsonlDocumentReader(IOptions<DocumentOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
    }

    /// <summary>Reads a JSONL file; a missing or unreadable file is one error result, not an exception.</summary>
    public IAsyncEnumerable<ReadResult<LongDocument>> ReadAsync(string path, CancellationToken cancellationToken = default)
        => InputFiles.ReadFileAsync<LongDocument>(path, StageNames.ReadDocuments, ReadAsync, cancellationToken);

    /// <summary>Reads JSONL from a stream; <paramref name="sourceName"/> names it in errors.</summary>
    public async IAsyncEnumerable<ReadResult<LongDocument>> ReadAsync(Stream stream, string sourceName, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(sourceName);
        var defaultSource = options.DefaultSource ?? Path.GetFileNameWithoutExtension(sourceName);
        await foreach (var line in JsonlInput.ReadAsync(stream, options.MaxLineBytes, cancellationToken))
        {
            yield return line.IsError
                ? ReadResult<LongDocument>.Fail(QuarantineEntry.ForInput(StageNames.ReadDocuments, sourceName, line.LineNumber, line.Error!))
                : Parse(line.Text!, sourceName, line.LineNumber, defaultSource);
        }
    }

    private ReadResult<LongDocument> Parse(string line, string sourceName, long lineNumber, string defaultSource)
    {
        using var document = JsonFields.TryParseObject(line, out var error);
        if (document is null)
        {
            return Fail(error!);
        }

        var root = document.RootElement;
        if (!JsonFields.TryGetOptionalString(root, "id", out var id, out error, allowNumber: true))
        {
            return Fail(error!);
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            return Fail("missing field 'id'");
        }

        if (!JsonFields.TryGetRequiredString(root, "text", out var text, out error)
            || !JsonFields.TryGetOptionalString(root, "title", out var title, out error)
            || !JsonFields.TryGetOptionalString(root, "source", out var source, out error)
            || !JsonFields.TryGetOptionalString(root, "doc_type_hint", out var hint, out error)
            || !JsonFields.TryGetOptionalString(root, "license", out var license, out error))
        {
            return Fail(error!, id);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return Fail("empty document text", id);
        }

        return ReadResult<LongDocument>.Ok(new LongDocument(
            id,
            string.IsNullOrWhiteSpace(title) ? InputFiles.FirstNonEmptyLine(text, options.MaxTitleChars) : title,
            text,
            source ?? defaultSource,
            string.IsNullOrWhiteSpace(hint) ? null : hint,
            license,
            Origin(root) ?? $"{sourceName}:{lineNumber}"));

        ReadResult<LongDocument> Fail(string reason, string? itemId = null)
            => ReadResult<LongDocument>.Fail(QuarantineEntry.ForInput(StageNames.ReadDocuments, sourceName, lineNumber, reason, itemId));
    }

    /// <summary>The <c>origin</c> field as a string: text as is, anything structured as compact JSON.</summary>
    private static string? Origin(JsonElement root)
    {
        if (!root.TryGetProperty("origin", out var origin))
        {
            return null;
        }

        return origin.ValueKind switch
        {
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.String => origin.GetString(),
            _ => JsonSerializer.Serialize(origin, WildLongJson.Options),
        };
    }
}
