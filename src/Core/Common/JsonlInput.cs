using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace WildLong.Core.Common;

/// <summary>
/// Whole-file format detection for user inputs (queries and documents), before the line reader: a gzip stream is
/// decompressed (WildChat dumps usually come as <c>.jsonl.gz</c>); UTF-16 and UTF-32 files, recognised by their byte
/// order mark, are transcoded to UTF-8; and a file that is one JSON array (<c>[{…}, {…}]</c>, in <c>.json</c> or
/// <c>.jsonl</c>) is read element by element, each element standing for one line (numbered from 1). Everything else
/// goes to <see cref="JsonlLineReader"/> unchanged.
/// </summary>
public static class JsonlInput
{
    /// <summary>The kind of file <see cref="ReadAsync"/> detected, for messages.</summary>
    public const string ArrayNote = "JSON array";

    /// <summary>Reads <paramref name="stream"/> as JSONL, a JSON array, gzip of either, in UTF-8, UTF-16 or UTF-32.</summary>
    public static async IAsyncEnumerable<JsonlLine> ReadAsync(Stream stream, int maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var (decoded, error) = await DecodeAsync(stream, cancellationToken);
        if (error is not null)
        {
            yield return new JsonlLine(1, 0, null, error);
            yield break;
        }

        var (sniffed, startsWithArray) = await StartsWithArrayAsync(decoded!, cancellationToken);
        var lines = startsWithArray ? ReadArrayAsync(sniffed, cancellationToken) : JsonlLineReader.ReadAsync(sniffed, maxLineBytes, cancellationToken);
        await foreach (var line in lines)
        {
            yield return line;
        }
    }

    /// <summary>Unwraps gzip and transcodes UTF-16/32 (by byte order mark) to UTF-8; the result owns <paramref name="stream"/>.</summary>
    internal static async Task<(Stream? Stream, string? Error)> DecodeAsync(Stream stream, CancellationToken cancellationToken)
    {
        var (header, length) = await PeekAsync(stream, 4, cancellationToken);
        Stream current = new PrefixedReadStream(header, length, stream);
        if (length >= 2 && header[0] == 0x1F && header[1] == 0x8B)
        {
            current = new GZipStream(current, CompressionMode.Decompress);
            (header, length) = await PeekAsync(current, 4, cancellationToken);
            current = new PrefixedReadStream(header, length, current);
        }

        var encoding = UnicodeEncodingOf(header.AsSpan(0, length));
        return (encoding is null ? current : Encoding.CreateTranscodingStream(current, encoding, new UTF8Encoding(false)), null);
    }

    /// <summary>UTF-16 or UTF-32 (either byte order, throwing on invalid data) when <paramref name="start"/> begins with its byte order mark; else null.</summary>
    public static Encoding? UnicodeEncodingOf(ReadOnlySpan<byte> start) => start switch
    {
        [0xFF, 0xFE, 0, 0, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: true, throwOnInvalidCharacters: true),
        [0, 0, 0xFE, 0xFF, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: true, throwOnInvalidCharacters: true),
        [0xFF, 0xFE, ..] => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true),
        [0xFE, 0xFF, ..] => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true),
        _ => null,
    };

    private static async Task<(byte[] Header, int Length)> PeekAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var header = new byte[count];
        var length = 0;
        try
        {
            while (length < count)
            {
                var read = await stream.ReadAsync(header.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (InvalidDataException)
        {
            // A broken gzip header: the line reader reports the unreadable stream.
        }

        return (header, length);
    }

    /// <summary>True when the first non-blank character (after a UTF-8 BOM) is '['; the returned stream still holds every byte.</summary>
    private static async Task<(Stream Stream, bool IsArray)> StartsWithArrayAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var length = 0;
        while (length < buffer.Length)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or DecoderFallbackException)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            length += read;
            var start = length >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? 3 : 0;
            var first = buffer.AsSpan(start, length - start).IndexOfAnyExcept(" \t\r\n"u8);
            if (first >= 0)
            {
                return (new PrefixedReadStream(buffer, length, stream), buffer[start + first] == (byte)'[');
            }
        }

        return (new PrefixedReadStream(buffer, length, stream), false);
    }

    /// <summary>Each element of a top-level JSON array as one "line" (its raw JSON), numbered from 1.</summary>
    private static async IAsyncEnumerable<JsonlLine> ReadArrayAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var number = 0L;
        await using var enumerator = JsonSerializer.DeserializeAsyncEnumerable<JsonElement>(stream, cancellationToken: cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            JsonElement element;
            string? failure = null;
            try
            {
                if (!await enumerator.MoveNextAsync())
                {
                    yield break;
                }

                element = enumerator.Current;
            }
            catch (Exception ex) when (ex is JsonException or IOException or InvalidDataException or DecoderFallbackException)
            {
                element = default;
                failure = $"the {ArrayNote} breaks after element {number}: {JsonFields.WithoutPositions(ex.Message)}";
            }

            number++;
            yield return failure is null ? new JsonlLine(number, 0, element.GetRawText(), null) : new JsonlLine(number, 0, null, failure);
            if (failure is not null)
            {
                yield break;
            }
        }
    }
}
