using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using WildLong.Core.Common;

namespace WildLong.Storage.Graphs;

/// <summary>
/// The bytes of a graph blob: the canonical DTO as compact JSON, gzip-compressed, addressed by the SHA-256 of the
/// JSON. A DTO's JSON is the same for the same counts however they were built (nodes and edges sorted), so equal
/// counts give the same address and re-writing them changes nothing; the hash recorded in the commit row (ledger or
/// totals marker) lets a reader tell a complete blob from a truncated, replaced or corrupted one.
/// </summary>
internal static class GraphBlobCodec
{
    /// <summary>Serializes and compresses <paramref name="dto"/>; returns the blob bytes and the hex SHA-256 of its JSON.</summary>
    public static (byte[] Content, string Sha256) Encode<T>(T dto)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(dto, WildLongJson.Options);
        using var buffer = new MemoryStream(json.Length / 4 + 64);
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(json);
        }

        return (buffer.ToArray(), Convert.ToHexStringLower(SHA256.HashData(json)));
    }

    /// <summary>
    /// Decompresses and parses blob bytes written by <see cref="Encode{T}"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not gzip, their JSON does not hash to
    /// <paramref name="expectedSha256"/>, or it is not a <typeparamref name="T"/>.</exception>
    public static T Decode<T>(BinaryData content, string expectedSha256, Func<string> describe)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(describe);
        byte[] json;
        try
        {
            using var gzip = new GZipStream(content.ToStream(), CompressionMode.Decompress);
            using var plain = new MemoryStream();
            gzip.CopyTo(plain);
            json = plain.ToArray();
        }
        catch (InvalidDataException error)
        {
            throw new InvalidDataException($"{describe()} is not a readable graph blob: {error.Message}", error);
        }

        var actual = Convert.ToHexStringLower(SHA256.HashData(json));
        if (!string.Equals(actual, expectedSha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{describe()} does not match the content hash its commit row recorded ({actual[..12]}… against {expectedSha256[..Math.Min(12, expectedSha256.Length)]}…).");
        }

        try
        {
            return JsonSerializer.Deserialize<T>(json, WildLongJson.Options) ?? throw new InvalidDataException($"{describe()} holds JSON null.");
        }
        catch (JsonException error)
        {
            throw new InvalidDataException($"{describe()} is not a graph: {error.Message}", error);
        }
    }
}
