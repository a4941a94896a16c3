using System.Runtime.CompilerServices;

namespace WildLong.Core.Common;

/// <summary>
/// Small file-system helpers shared by the input readers, so that a missing or locked file becomes a reason to
/// report instead of an exception thrown out of a streaming reader.
/// </summary>
public static class InputFiles
{
    public static Stream? TryOpenRead(string path, out string? error)
    {
        try
        {
            error = null;
            return new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.Read,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"cannot open file: {ex.Message}";
            return null;
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> and streams what <paramref name="read"/> parses from it; a missing or
    /// unreadable file becomes one error result of <paramref name="stage"/>, not an exception.
    /// </summary>
    public static async IAsyncEnumerable<ReadResult<T>> ReadFileAsync<T>(
        string path,
        string stage,
        Func<Stream, string, CancellationToken, IAsyncEnumerable<ReadResult<T>>> read,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = TryOpenRead(path, out var error);
        if (stream is null)
        {
            yield return ReadResult<T>.Fail(QuarantineEntry.ForInput(stage, path, 0, error!));
            yield break;
        }

        await using (stream)
        {
            await foreach (var result in read(stream, path, cancellationToken))
            {
                yield return result;
            }
        }
    }

    /// <summary>Extension of a compressed input, read transparently (<c>queries.jsonl.gz</c> is read as <c>.jsonl</c>).</summary>
    public const string GzipExtension = ".gz";

    /// <summary>The extension that says how to read <paramref name="path"/>: <c>.jsonl</c> for <c>a.jsonl</c> and for <c>a.jsonl.gz</c>.</summary>
    public static string FormatExtension(string path)
    {
        var extension = Path.GetExtension(path);
        return string.Equals(extension, GzipExtension, StringComparison.OrdinalIgnoreCase) ? Path.GetExtension(path[..^GzipExtension.Length]) : extension;
    }

    /// <summary>The whole extension of <paramref name="path"/>, <c>.jsonl.gz</c> for a compressed input, so a copy keeps its format.</summary>
    public static string FileExtension(string path)
    {
        var extension = Path.GetExtension(path);
        return string.Equals(extension, GzipExtension, StringComparison.OrdinalIgnoreCase) ? FormatExtension(path) + extension : extension;
    }

    /// <summary>
    /// Files under <paramref name="folder"/> (recursively) whose format extension (<see cref="FormatExtension"/>, so
    /// <c>.jsonl.gz</c> counts as <c>.jsonl</c>) is in <paramref name="extensions"/>, in
    /// ordinal order of their relative path with '/' separators, so every machine reads them in the same order.
    /// </summary>
    public static IReadOnlyList<(string FullPath, string RelativePath)> ListFiles(string folder, IReadOnlyCollection<string> extensions)
        => [.. Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(f => extensions.Contains(FormatExtension(f), StringComparer.OrdinalIgnoreCase))
            .Select(f => (FullPath: f, RelativePath: Path.GetRelativePath(folder, f).Replace('\\', '/')))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)];

    /// <summary>The first non-blank line of <paramref name="text"/>, trimmed and cut to <paramref name="maxChars"/>.</summary>
    public static string FirstNonEmptyLine(string text, int maxChars)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
        {
            var trimmed = line.Trim();
            if (!trimmed.IsEmpty)
            {
                return (trimmed.Length > maxChars ? trimmed[..maxChars].TrimEnd() : trimmed).ToString();
            }
        }

        return string.Empty;
    }
}
