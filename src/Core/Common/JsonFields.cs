using System.Text.Json;

namespace WildLong.Core.Common;

/// <summary>
/// Typed access to fields of a JSON object with messages fit for a quarantine entry ("field 'text' must be a
/// string, got number"), shared by every JSONL reader so their error wording agrees.
/// </summary>
internal static class JsonFields
{
    /// <summary>
    /// Reads an optional string field. Absent or null gives null; any other non-string value is an error.
    /// When <paramref name="allowNumber"/> is set, a number is accepted as its raw text (numeric ids).
    /// </summary>
    public static bool TryGetOptionalString(JsonElement obj, string name, out string? value, out string? error, bool allowNumber = false)
    {
        value = null;
        error = null;
        if (!obj.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString();
            return true;
        }

        if (allowNumber && element.ValueKind == JsonValueKind.Number)
        {
            value = element.GetRawText();
            return true;
        }

        error = $"field '{name}' must be a string{(allowNumber ? " or a number" : string.Empty)}, got {Describe(element.ValueKind)}";
        return false;
    }

    /// <summary>Reads a required string field; absent, null or another type is an error.</summary>
    public static bool TryGetRequiredString(JsonElement obj, string name, out string value, out string? error)
    {
        if (!TryGetOptionalString(obj, name, out var found, out error))
        {
            value = string.Empty;
            return false;
        }

        if (found is null)
        {
            value = string.Empty;
            error = $"missing field '{name}'";
            return false;
        }

        value = found;
        return true;
    }

    /// <summary>Parses one line into a JSON object, or explains why it is not one.</summary>
    public static JsonDocument? TryParseObject(string line, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            error = $"invalid JSON (truncated or malformed line): {WithoutPositions(ex.Message)}";
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            error = $"expected a JSON object, got {Describe(document.RootElement.ValueKind)}";
            document.Dispose();
            return null;
        }

        error = null;
        return document;
    }

    /// <summary>
    /// A System.Text.Json error message without its positions and quoted characters ("'x' is an invalid start of a
    /// value. LineNumber: 0 | BytePositionInLine: 7." → "… is an invalid start of a value."), so that rejections group
    /// by kind; the line number is recorded with the rejection.
    /// </summary>
    public static string WithoutPositions(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = cut >= 0 ? message[..cut] : message;
        text = System.Text.RegularExpressions.Regex.Replace(text, @"'[^']{0,16}'", "'…'", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        return System.Text.RegularExpressions.Regex.Replace(text, @"0x[0-9A-Fa-f]+", "…", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)).Trim();
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
