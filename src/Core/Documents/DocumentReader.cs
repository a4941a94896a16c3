using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;

namespace WildLong.Core.Documents;

/// <summary>
/// The single entry point for corpus input: a JSONL file, a text or Markdown file, or a folder mixing both
/// (read recursively in ordinal path order, text files getting their relative path as id).
/// </summary>
public sealed class DocumentReader
{
    /// <summary>Extensions read as JSONL (one document object per line).</summary>
    public static IReadOnlyList<string> JsonlExtensions { get; } = [".jsonl", ".ndjson", ".json"];

    private readonly JsonlDocumentReader jsonl;
    private readonly TextFolderDocumentReader text;
    private readonly ILogger<DocumentReader> logger;

    public DocumentReader(IOptions<DocumentOptions> options, ILogger<DocumentReader>? logger = null)
    {
        jsonl = new JsonlDocumentReader(options);
        text = new TextFolderDocumentReader(options);
        this.logger = logger ?? NullLogger<DocumentReader>.Instance;
    }

    public async IAsyncEnumerable<ReadResult<LongDocument>> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            var files = InputFiles.ListFiles(path, [.. JsonlExtensions, .. TextFolderDocumentReader.TextExtensions]);
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Reading {Count} document files under {Folder}", files.Count, path);
            }

            var source = text.DefaultSource(path);
            foreach (var (file, relative) in files)
            {
                if (IsJsonl(file))
                {
                    await foreach (var result in jsonl.ReadAsync(file, cancellationToken))
                    {
                        yield return result;
                    }
                }
                else
                {
                    yield return await text.ReadFileAsync(file, relative, source, cancellationToken);
                }
            }

            yield break;
        }

        if (IsJsonl(path))
        {
            await foreach (var result in jsonl.ReadAsync(path, cancellationToken))
            {
                yield return result;
            }
        }
        else if (File.Exists(path) && TextFolderDocumentReader.TextExtensions.Contains(InputFiles.FormatExtension(path), StringComparer.OrdinalIgnoreCase))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            yield return await text.ReadFileAsync(path, Path.GetFileName(path), text.DefaultSource(folder), cancellationToken);
        }
        else
        {
            var reason = File.Exists(path)
                ? $"unsupported file type '{Path.GetExtension(path)}' (supported: {string.Join(", ", JsonlExtensions.Concat(TextFolderDocumentReader.TextExtensions))})"
                : "no such file or folder";
            yield return ReadResult<LongDocument>.Fail(QuarantineEntry.ForInput(StageNames.ReadDocuments, path, 0, reason));
        }
    }

    private static bool IsJsonl(string path) => JsonlExtensions.Contains(InputFiles.FormatExtension(path), StringComparer.OrdinalIgnoreCase);
}
