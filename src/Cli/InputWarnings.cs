using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Queries;

namespace WildLong.Cli;

/// <summary>
/// Whole-file input problems on the console before a run starts (<see cref="InputSurvey"/>): rejected records grouped
/// by reason with counts, ids used by more than one record, and files in a folder that are not read (PDF, DOCX …).
/// Warnings, not errors: the run goes on with what can be read, and quarantine.jsonl lists every rejection.
/// </summary>
internal static class InputWarnings
{
    public static async Task PrintAsync(IServiceProvider services, string queries, string documents, CancellationToken cancellationToken)
    {
        var queryReader = services.GetRequiredService<QueryReader>();
        var documentReader = services.GetRequiredService<DocumentReader>();
        var querySurvey = await InputSurvey.TakeAsync(queryReader.ReadAsync(queries, cancellationToken), q => q.Id,
            InputSurvey.UnreadableFiles(queries, [.. QueryReader.JsonlExtensions, .. QueryReader.ParquetExtensions]), cancellationToken);
        Print("query", queries, "queries", querySurvey, "convert them to .jsonl or .parquet");
        var documentSurvey = await InputSurvey.TakeAsync(documentReader.ReadAsync(documents, cancellationToken), d => d.Id,
            InputSurvey.UnreadableFiles(documents, [.. DocumentReader.JsonlExtensions, .. TextFolderDocumentReader.TextExtensions]), cancellationToken);
        Print("document", documents, "documents", documentSurvey, "convert them to .txt or .md");
    }

    private static void Print(string what, string path, string noun, InputSurvey survey, string conversion)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        if (survey.Rejected > 0)
        {
            CliConsole.Warning(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {survey.Rejected} of {survey.Read + survey.Rejected} {what} records rejected — {survey.DescribeRejections()} (each listed in quarantine.jsonl)"));
        }

        if (survey.DuplicateIds > 0)
        {
            CliConsole.Warning(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {survey.DuplicateIds} {noun} reuse an id an earlier one has (e.g. {string.Join(", ", survey.DuplicateExamples.Select(id => $"'{id}'"))}); ids should be unique"));
        }

        if (survey.Unreadable.Count > 0)
        {
            var kinds = survey.Unreadable.GroupBy(f => InputFiles.FormatExtension(f) is { Length: > 0 } e ? e.ToLowerInvariant() : "(no extension)")
                .OrderByDescending(g => g.Count()).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}"));
            CliConsole.Warning(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {survey.Unreadable.Count} file(s) not read ({string.Join(", ", kinds)}; {conversion}): {string.Join(", ", survey.Unreadable.Take(5))}{(survey.Unreadable.Count > 5 ? ", …" : string.Empty)}"));
        }
    }
}
