using System.Text.Json;
using Spectre.Console;
using WildLong.Core;
using WildLong.Core.Common;

namespace WildLong.Cli;

/// <summary>
/// The console lines about documents set aside or limited at indexing (too short, too long, part-only, …), one per
/// reason with its count, so a user sees why documents are missing without reading <c>quarantine.jsonl</c>.
/// </summary>
internal static class DocumentNotes
{
    /// <summary>Writes one line per reason of the indexing stage's quarantine entries, most frequent first.</summary>
    public static void Print(IEnumerable<QuarantineEntry> quarantine)
    {
        ArgumentNullException.ThrowIfNull(quarantine);
        var groups = quarantine
            .Where(q => q.Stage == StageNames.IndexDocuments)
            .GroupBy(q => ReasonKind(q.Reason), StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]documents:[/] {group.Count()} {group.Key} (quarantine.jsonl, stage {StageNames.IndexDocuments})");
        }
    }

    /// <summary>Reads a downloaded dataset's <c>quarantine.jsonl</c>; nothing when it is absent or unreadable.</summary>
    public static IReadOnlyList<QuarantineEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var entries = new List<QuarantineEntry>();
        foreach (var line in File.ReadLines(path))
        {
            try
            {
                if (JsonSerializer.Deserialize<QuarantineEntry>(line, WildLongJson.Options) is { } entry)
                {
                    entries.Add(entry);
                }
            }
            catch (JsonException)
            {
                // A summary line is a convenience; the file itself is the record.
            }
        }

        return entries;
    }

    /// <summary>The reason without its per-document detail: the text before the first colon.</summary>
    private static string ReasonKind(string reason)
    {
        var colon = reason.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 ? reason[..colon] : reason;
    }
}
