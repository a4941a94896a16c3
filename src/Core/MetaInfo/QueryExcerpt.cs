using Microsoft.ML.Tokenizers;

namespace WildLong.Core.MetaInfo;

/// <summary>
/// Cuts a very long query to its first and last tokens with a marker in between. Extraction needs the request
/// (usually before or after the pasted document), not the whole document, and the cut keeps prompt costs flat.
/// </summary>
internal static class QueryExcerpt
{
    // Same encoding as Documents.TokenCounter; that type only counts, and the cut needs token boundaries.
    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>Returns the text unchanged when it fits in <paramref name="maxTokens"/>, else head + marker + tail.</summary>
    public static (string Text, bool WasCut) Cut(string text, int maxTokens, int headTokens, int tailTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokenizer = Tokenizer.Value;
        var total = tokenizer.CountTokens(text);
        if (total <= maxTokens)
        {
            return (text, false);
        }

        var headEnd = tokenizer.GetIndexByTokenCount(text, Math.Max(0, headTokens), out _, out var headCount);
        var tailStart = tokenizer.GetIndexByTokenCountFromEnd(text, Math.Max(0, tailTokens), out _, out var tailCount);
        if (tailStart < headEnd)
        {
            tailStart = headEnd;
        }

        var omitted = Math.Max(0, total - headCount - tailCount);
        var marker = $"\n\n[... {omitted:N0} tokens of the request omitted here ...]\n\n";
        return (string.Concat(text.AsSpan(0, headEnd), marker, text.AsSpan(tailStart)), true);
    }
}
