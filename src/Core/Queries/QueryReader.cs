using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;

namespace WildLong.Core.Queries;

/// <summary>
/// The single entry point for query input: a user points at a file or a folder of shards and gets one stream of
/// queries, whatever mix of JSONL and Parquet it holds. Folders are read in ordinal path order so every run and
/// machine sees the same sequence.
/// </summary>
public sealed class QueryReader
{
    /// <summary>Extensions read as JSONL (one JSON object per line).</summary>
    public static IReadOnlyList<string> JsonlExtensions { get; } = [".jsonl", ".ndjson", ".json"];

    /// <summary>Extensions read as Parquet.</summary>
    public static IReadOnlyList<string> ParquetExtensions { get; } = [".parquet"];

    private readonly JsonlQueryReader jsonl;
    private readonly ParquetQueryReader parquet;
    private readonly ILogger<QueryReader> logger;

    public QueryReader(IOptions<QueryReaderOptions> options, ILogger<QueryReader>? logger = null)
    {
        jsonl = new JsonlQueryReader(options);
        parquet = new ParquetQueryReader(options);
        this.logger = logger ?? NullLogger<QueryReader>.Instance;
    }

    /// <summary>
    /// Reads a file (by extension) or every supported file under a folder (recursively, ordinal order).
    /// A missing path or an unsupported extension is one error result.
    /// </summary>
    public async IAsyncEnumerable<ReadResult<UserQuery>> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            var files = InputFiles.ListFiles(path, [.. JsonlExtensions, .. ParquetExtensions]);
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation("Reading {Count} query files under {Folder}", files.Count, path);
            }

            foreach (var (file, _) in files)
            {
                await foreach (var result in ReadFileAsync(file, cancellationToken))
                {
                    yield return result;
                }
            }

            yield break;
        }

        await foreach (var result in ReadFileAsync(path, cancellationToken))
        {
            yield return result;
        }
    }

    private IAsyncEnumerable<ReadResult<UserQuery>> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        var extension = InputFiles.FormatExtension(path);
        if (JsonlExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return jsonl.ReadAsync(path, cancellationToken);
        }

        if (ParquetExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            return parquet.ReadAsync(path, cancellationToken);
        }

        var reason = File.Exists(path)
            ? $"unsupported file type '{extension}' (supported: {string.Join(", ", JsonlExtensions.Concat(ParquetExtensions))})"
            : "no such file or folder";
        return AsyncSequence.Single(ReadResult<UserQuery>.Fail(QuarantineEntry.ForInput(StageNames.ReadQueries, path, 0, reason)));
    }
}
