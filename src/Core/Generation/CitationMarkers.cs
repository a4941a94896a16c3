using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace WildLong.Core.Generation;

/// <summary>
/// Finds, checks and strips the <c>[n]</c> / <c>[n, m]</c> citation markers of a grounded answer, and checks quotes
/// against the documents. Brackets inside code (fenced blocks or inline backticks) and numbers beyond the citation
/// count are left alone, so <c>a[1]</c> in a code answer is never taken for a marker.
/// </summary>
public static partial class CitationMarkers
{
    /// <summary>The marker numbers used in <paramref name="answer"/> (outside code), in order of appearance.</summary>
    public static IReadOnlyList<int> Numbers(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var numbers = new List<int>();
        foreach (var (text, isCode) in Segments(answer))
        {
            if (isCode)
            {
                continue;
            }

            foreach (Match match in Marker().Matches(text))
            {
                numbers.AddRange(Parse(match.Groups[1].Value));
            }
        }

        return numbers;
    }

    /// <summary>
    /// The answer without markers that refer to one of <paramref name="citationCount"/> citations (and the space
    /// before them); other bracketed numbers stay.
    /// </summary>
    public static string Strip(string answer, int citationCount)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var builder = new StringBuilder(answer.Length);
        foreach (var (text, isCode) in Segments(answer))
        {
            builder.Append(isCode ? text : Marker().Replace(text, m => Parse(m.Groups[1].Value).All(n => n >= 1 && n <= citationCount) ? string.Empty : m.Value));
        }

        return builder.ToString();
    }

    /// <summary>The training text: markers stripped, or kept with a "Sources" list of the quotes appended.</summary>
    public static string TrainingText(GroundedResponse response, bool strip)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (strip || response.Citations.Count == 0)
        {
            return Strip(response.Answer, response.Citations.Count).Trim();
        }

        var text = new StringBuilder(response.Answer.TrimEnd()).Append("\n\nSources:");
        for (var i = 0; i < response.Citations.Count; i++)
        {
            var c = response.Citations[i];
            text.Append(CultureInfo.InvariantCulture, $"\n[{i + 1}] ");
            if (!string.IsNullOrWhiteSpace(c.Section))
            {
                text.Append(c.Section.Trim()).Append(": ");
            }

            text.Append('"').Append(c.Quote).Append('"');
        }

        return text.ToString();
    }

    /// <summary>
    /// Whether <paramref name="quote"/> occurs in <paramref name="document"/> ignoring case, runs of whitespace and
    /// typographic quotes/dashes; "..." or "…" inside a quote skips text (each part must occur, in order).
    /// </summary>
    public static bool IsVerbatim(string quote, string document)
    {
        ArgumentNullException.ThrowIfNull(quote);
        ArgumentNullException.ThrowIfNull(document);
        var haystack = Normalize(document);
        var from = 0;
        var parts = quote.Split(["...", "…"], StringSplitOptions.RemoveEmptyEntries).Select(Normalize).Where(p => p.Length > 0).ToList();
        if (parts.Count == 0)
        {
            return false;
        }

        foreach (var part in parts)
        {
            var at = haystack.IndexOf(part, from, StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            from = at + part.Length;
        }

        return true;
    }

    internal static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var raw in text)
        {
            var c = raw switch
            {
                '\u2018' or '\u2019' or '\u201B' or '`' => '\'',
                '\u201C' or '\u201D' or '\u201E' => '"',
                '\u2013' or '\u2014' or '\u2212' => '-',
                _ => char.ToLowerInvariant(raw),
            };
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString().Trim('"', '\'', ' ', '.');
    }

    private static IEnumerable<int> Parse(string list)
        => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => int.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture));

    /// <summary>The answer cut into prose and code segments (``` fences and `inline` spans).</summary>
    private static IEnumerable<(string Text, bool IsCode)> Segments(string answer)
    {
        var last = 0;
        foreach (Match code in Code().Matches(answer))
        {
            if (code.Index > last)
            {
                yield return (answer[last..code.Index], false);
            }

            yield return (code.Value, true);
            last = code.Index + code.Length;
        }

        if (last < answer.Length)
        {
            yield return (answer[last..], false);
        }
    }

    [GeneratedRegex(@"[ \t]?\[(\d{1,2}(?:\s*,\s*\d{1,2})*)\](?![\(\[:])", RegexOptions.CultureInvariant)]
    private static partial Regex Marker();

    [GeneratedRegex(@"```[\s\S]*?(?:```|$)|`[^`\n]*`", RegexOptions.CultureInvariant)]
    private static partial Regex Code();
}
