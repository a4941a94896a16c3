using System.Text;

namespace WildLong.Core.Instructions;

/// <summary>
/// The request part of a real query, short enough to show as a style example: a query that brings a document is
/// mostly that document, and the request is usually its first or last paragraph (the shorter one, as the document's
/// paragraphs are long). Whitespace is collapsed and the result is cut at a word boundary.
/// </summary>
public static class RequestExcerpt
{
    /// <summary>Fewest words an excerpt needs to show how a user phrases a task.</summary>
    public const int MinWords = 3;

    /// <summary>The excerpt of <paramref name="queryText"/>, at most <paramref name="maxChars"/> characters, or null when none is usable.</summary>
    public static string? From(string? queryText, int maxChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 20);
        if (string.IsNullOrWhiteSpace(queryText))
        {
            return null;
        }

        var paragraphs = queryText.ReplaceLineEndings("\n")
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Collapse)
            .Where(p => WordCount(p) >= MinWords)
            .ToList();
        if (paragraphs.Count == 0)
        {
            return null;
        }

        var whole = Collapse(queryText);
        var pick = whole.Length <= maxChars
            ? whole
            : paragraphs.Count == 1 ? paragraphs[0] : new[] { paragraphs[0], paragraphs[^1] }.MinBy(p => p.Length)!;
        return Cut(pick, maxChars);
    }

    private static string Cut(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        var cut = text.LastIndexOf(' ', maxChars - 1);
        return text[..(cut > maxChars / 2 ? cut : maxChars - 1)].TrimEnd(',', ';', ':', ' ') + "…";
    }

    private static string Collapse(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(c);
        }

        return builder.ToString();
    }

    private static int WordCount(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
}
