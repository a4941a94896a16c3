using System.Runtime.CompilerServices;

namespace WildLong.Core.Common;

/// <summary>
/// The one JSONL line splitter every reader uses. It works on bytes with a bounded buffer, so a single huge or
/// corrupt line (a pasted 50 MB log, a binary file renamed .jsonl) is reported and skipped in constant memory
/// while the rest of the file is still read. Tolerates CRLF, a UTF-8 BOM, blank lines and a missing final newline.
/// </summary>
public static class JsonlLineReader
{
    /// <summary>Default maximum line length: 16 MiB.</summary>
    public const int DefaultMaxLineBytes = 16 * 1024 * 1024;

    private const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// Yields every non-blank line of <paramref name="stream"/> as text, or as an error when it is longer than
    /// <paramref name="maxLineBytes"/>, is not valid UTF-8, or the stream fails. Never throws for bad content.
    /// </summary>
    public static async IAsyncEnumerable<JsonlLine> ReadAsync(
        Stream stream,
        int maxLineBytes = DefaultMaxLineBytes,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLineBytes);
        var splitter = new Splitter(maxLineBytes);
        var chunk = new byte[ChunkBytes];
        var completed = new List<JsonlLine>();
        while (true)
        {
            var (read, failure) = await ReadChunkAsync(stream, chunk, cancellationToken);
            if (failure is not null)
            {
                splitter.Fail(failure, completed);
            }
            else if (read == 0)
            {
                splitter.Finish(completed);
            }
            else
            {
                splitter.Feed(chunk.AsSpan(0, read), completed);
            }

            foreach (var line in completed)
            {
                yield return line;
            }

            completed.Clear();
            if (read == 0 || failure is not null)
            {
                yield break;
            }
        }
    }

    private static async Task<(int Read, string? Failure)> ReadChunkAsync(Stream stream, byte[] chunk, CancellationToken cancellationToken)
    {
        try
        {
            return (await stream.ReadAsync(chunk, cancellationToken), null);
        }
        catch (IOException ex)
        {
            return (0, $"reading the input failed: {ex.Message}");
        }
    }

    /// <summary>Synchronous byte-level state machine; the async loop only feeds it chunks.</summary>
    private sealed class Splitter(int maxLineBytes)
    {
        private byte[] buffer = new byte[Math.Min(maxLineBytes, ChunkBytes)];
        private int length;
        private bool skipping;
        private long skippedBytes;
        private long lineNumber;
        private long lineStart;
        private long position;

        public void Feed(ReadOnlySpan<byte> chunk, List<JsonlLine> output)
        {
            while (!chunk.IsEmpty)
            {
                var newline = chunk.IndexOf((byte)'\n');
                var segment = newline < 0 ? chunk : chunk[..newline];
                Append(segment);
                position += segment.Length;
                if (newline < 0)
                {
                    return;
                }

                EndLine(output);
                position++;
                lineStart = position;
                chunk = chunk[(newline + 1)..];
            }
        }

        public void Finish(List<JsonlLine> output)
        {
            if (length > 0 || skipping)
            {
                EndLine(output);
            }
        }

        public void Fail(string reason, List<JsonlLine> output)
            => output.Add(new JsonlLine(lineNumber + 1, lineStart, null, reason));

        private void Append(ReadOnlySpan<byte> segment)
        {
            if (skipping)
            {
                skippedBytes += segment.Length;
                return;
            }

            if ((long)length + segment.Length > maxLineBytes)
            {
                skipping = true;
                skippedBytes = (long)length + segment.Length;
                length = 0;
                return;
            }

            if (length + segment.Length > buffer.Length)
            {
                var grown = (int)Math.Min(maxLineBytes, Math.Max((long)buffer.Length * 2, (long)length + segment.Length));
                Array.Resize(ref buffer, grown);
            }

            segment.CopyTo(buffer.AsSpan(length));
            length += segment.Length;
        }

        private void EndLine(List<JsonlLine> output)
        {
            lineNumber++;
            if (skipping)
            {
                output.Add(new JsonlLine(lineNumber, lineStart, null,
                    $"line is {skippedBytes} bytes, longer than the maximum of {maxLineBytes} bytes; skipped"));
                skipping = false;
                skippedBytes = 0;
                return;
            }

            var bytes = buffer.AsSpan(0, length);
            length = 0;
            var bom = lineNumber == 1 ? StrictUtf8.BomLength(bytes) : 0;
            bytes = bytes[bom..];
            if (!bytes.IsEmpty && bytes[^1] == (byte)'\r')
            {
                bytes = bytes[..^1];
            }

            if (!StrictUtf8.TryDecode(bytes, out var text, out var invalidAt))
            {
                // No byte offset in the reason, so that a binary file gives one kind of rejection, not one per offset.
                output.Add(new JsonlLine(lineNumber, lineStart, null, "invalid UTF-8 (a binary file, or text in another encoding: save it as UTF-8)"));
                return;
            }

            if (!string.IsNullOrWhiteSpace(text))
            {
                output.Add(new JsonlLine(lineNumber, lineStart, text, null));
            }
        }
    }
}
