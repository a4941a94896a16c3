using WildLong.Core.Documents;

namespace WildLong.Core.MetaInfo;

/// <summary>
/// Cuts a very long query to its first and last tokens with a marker in between. Extraction needs the request
/// (usually before or after the pasted document), not the whole document, and the cut keeps prompt costs flat.
/// </summary>
internal static class QueryExcerpt
{
    /// <summary>Returns the text unchanged when it fits in <paramref name="maxTokens"/>, else head + marker + tail.</summary>
    public static (string Text, bool WasCut) Cut(string text, int maxTokens, int headTokens, int tailTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var counter = TokenCounter.Shared;
        var total = counter.Count(text);
        if (total <= maxTokens)
        {
            return (text, false);
        }

        var head = counter.Head(text, headTokens, out var headCount);
        var tail = counter.Tail(text, tailTokens, out var tailCount);
        if (head.Length + tail.Length > text.Length)
        {
            tail = text[head.Length..];
        }

        var omitted = Math.Max(0, total - headCount - tailCount);
        var marker = $"\n\n[... {omitted:N0} tokens of the request omitted here ...]\n\n";
        return (string.Concat(head, marker, tail), true);
    }
}
