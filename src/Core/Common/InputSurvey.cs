using System.Globalization;

namespace WildLong.Core.Common;

/// <summary>
/// A look at a whole input before a run, with the same readers the run uses: how many records were read and
/// rejected, the rejections grouped by reason (reasons carry no byte offsets, so a binary file gives one kind, not
/// hundreds), ids used by more than one record, and files in a folder that no reader takes (a PDF or DOCX in a
/// document folder). The CLI prints it as warnings so whole-file problems are seen before anything is paid.
/// </summary>
/// <param name="Read">Records read successfully.</param>
/// <param name="Rejected">Records (lines, array elements, files) rejected.</param>
/// <param name="RejectionsByReason">Rejection reasons, most frequent first, with their counts.</param>
/// <param name="DuplicateIds">Records whose id an earlier record already used.</param>
/// <param name="DuplicateExamples">A few of those ids.</param>
/// <param name="Unreadable">Files under a folder input whose type no reader takes (relative paths).</param>
public sealed record InputSurvey(
    long Read,
    long Rejected,
    IReadOnlyList<KeyValuePair<string, int>> RejectionsByReason,
    long DuplicateIds,
    IReadOnlyList<string> DuplicateExamples,
    IReadOnlyList<string> Unreadable)
{
    /// <summary>Surveys what <paramref name="results"/> yields; <paramref name="idOf"/> gives a record's id.</summary>
    public static async Task<InputSurvey> TakeAsync<T>(IAsyncEnumerable<ReadResult<T>> results, Func<T, string> idOf, IReadOnlyList<string>? unreadable = null, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(idOf);
        long read = 0, rejected = 0, duplicates = 0;
        var reasons = new Dictionary<string, int>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var examples = new List<string>();
        await foreach (var result in results.WithCancellation(cancellationToken))
        {
            if (result.Value is { } value)
            {
                read++;
                var id = idOf(value);
                if (!ids.Add(id))
                {
                    duplicates++;
                    if (examples.Count < 3 && !examples.Contains(id, StringComparer.Ordinal))
                    {
                        examples.Add(id);
                    }
                }
            }
            else if (result.Error is { } error)
            {
                rejected++;
                reasons[error.Reason] = reasons.GetValueOrDefault(error.Reason) + 1;
            }
        }

        return new InputSurvey(read, rejected, [.. reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)], duplicates, examples, unreadable ?? []);
    }

    /// <summary>
    /// Files under <paramref name="folder"/> (recursively, hidden files left out) whose format is not among
    /// <paramref name="supported"/>, as relative paths in ordinal order; empty for a file input.
    /// </summary>
    public static IReadOnlyList<string> UnreadableFiles(string folder, IReadOnlyCollection<string> supported)
    {
        ArgumentNullException.ThrowIfNull(supported);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(folder, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(part => part.StartsWith('.')))
            .Where(f => !supported.Contains(InputFiles.FormatExtension(f), StringComparer.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal)];
    }

    /// <summary>The rejections as one phrase: <c>160× invalid UTF-8 (…); 9× missing field 'text'</c> (at most <paramref name="kinds"/> kinds).</summary>
    public string DescribeRejections(int kinds = 3)
    {
        var shown = RejectionsByReason.Take(kinds).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Value}× {r.Key}"));
        var more = RejectionsByReason.Count > kinds ? string.Create(CultureInfo.InvariantCulture, $"; {RejectionsByReason.Count - kinds} other kind(s)") : string.Empty;
        return string.Join("; ", shown) + more;
    }
}
