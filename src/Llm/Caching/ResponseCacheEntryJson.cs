using System.Text.Json;
using WildLong.Core.Common;

namespace WildLong.Llm.Caching;

/// <summary>
/// The one serialized form of <see cref="CachedChatResponse"/> shared by the folder and Blob stores, and the one
/// place that decides an entry is corrupt (unparsable, another format version, stored under another key, empty).
/// </summary>
public static class ResponseCacheEntryJson
{
    public static byte[] Serialize(CachedChatResponse entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return JsonSerializer.SerializeToUtf8Bytes(entry, WildLongJson.Options);
    }

    /// <summary>Parses an entry read under <paramref name="expectedKey"/>; on failure returns null and why.</summary>
    public static CachedChatResponse? TryDeserialize(ReadOnlySpan<byte> utf8, string expectedKey, out string? error)
    {
        CachedChatResponse? entry;
        try
        {
            entry = JsonSerializer.Deserialize<CachedChatResponse>(utf8, WildLongJson.Options);
        }
        catch (JsonException ex)
        {
            error = $"not a valid cache entry: {ex.Message}";
            return null;
        }

        error = entry switch
        {
            null => "the entry is JSON null",
            { FormatVersion: not CachedChatResponse.CurrentFormatVersion } => $"format version {entry.FormatVersion}, expected {CachedChatResponse.CurrentFormatVersion}",
            _ when !string.Equals(entry.Key, expectedKey, StringComparison.Ordinal) => $"the entry names key '{entry.Key}'",
            _ when string.IsNullOrWhiteSpace(entry.Text) => "the entry has no text",
            _ => null,
        };
        return error is null ? entry : null;
    }
}
