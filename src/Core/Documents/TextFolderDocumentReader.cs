using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;

namespace WildLong.Core.Documents;

/// <summary>
/// Reads a folder of plain-text and Markdown files as documents, the simplest way for a user to bring their own
/// corpus. Ids are relative paths (stable across machines), titles the first non-empty line, and files are read
/// in ordinal path order. Unreadable, oversized, empty or non-UTF-8 files are reported and skipped.
/// </summary>
public sealed class TextFolderDocumentReader
{
    /// <summary>Extensions read as one document per file.</summary>
    public static IReadOnlyList<string> TextExtensions { get; } = [".txt", ".md"];

    private readonly DocumentOptions options;

    public TextFolderDocumentReader(IOptions<DocumentOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
    }

    /// <summary>Reads every *.txt and *.md file under <paramref name="folder"/> (recursively).</summary>
    public async IAsyncEnumerable<ReadResult<LongDocument>> ReadAsync(string folder, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            yield return ReadResult<LongDocument>.Fail(QuarantineEntry.ForInput(StageNames.ReadDocuments, folder, 0, "no such folder"));
            yield break;
        }

        foreach (var (path, relative) in InputFiles.ListFiles(folder, TextExtensions))
        {
            yield return await ReadFileAsync(path, relative, DefaultSource(folder), cancellationToken);
        }
    }

    /// <summary>Reads one text file as a document with the given id.</summary>
    public async Task<ReadResult<LongDocument>> ReadFileAsync(string path, string id, string source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(id);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Length > options.MaxDocumentBytes)
            {
                return Fail($"file is {info.Length} bytes, larger than the maximum of {options.MaxDocumentBytes} bytes; skipped");
            }

            bytes = await File.ReadAllBytesAsync(path, cancellationToken);
            if (bytes is [0x1F, 0x8B, ..])
            {
                // A compressed text file (notes.txt.gz): read what it holds.
                using var unzipped = new MemoryStream();
                await using (var gzip = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress))
                {
                    await gzip.CopyToAsync(unzipped, cancellationToken);
                }

                bytes = unzipped.ToArray();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return Fail($"cannot read file: {ex.Message}");
        }

        string text;
        if (JsonlInput.UnicodeEncodingOf(bytes) is { } unicode)
        {
            try
            {
                text = unicode.GetString(bytes, unicode.Preamble.Length, bytes.Length - unicode.Preamble.Length);
            }
            catch (System.Text.DecoderFallbackException)
            {
                return Fail($"invalid {unicode.WebName} text");
            }
        }
        else if (!StrictUtf8.TryDecode(bytes.AsSpan(StrictUtf8.BomLength(bytes)), out text, out _))
        {
            return Fail("invalid UTF-8 (a binary file, or text in another encoding: save it as UTF-8)");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return Fail("empty document text");
        }

        return ReadResult<LongDocument>.Ok(new LongDocument(
            id,
            InputFiles.FirstNonEmptyLine(text, options.MaxTitleChars),
            text,
            source,
            DocTypeHint: null,
            License: null,
            Origin: path));

        ReadResult<LongDocument> Fail(string reason)
            => ReadResult<LongDocument>.Fail(QuarantineEntry.ForInput(StageNames.ReadDocuments, path, 0, reason, id));
    }

    internal string DefaultSource(string folder)
        => options.DefaultSource ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
}
