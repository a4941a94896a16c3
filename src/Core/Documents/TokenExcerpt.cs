namespace WildLong.Core.Documents;

/// <summary>
/// Cuts the longest prefix of a text that fits a token budget, by binary search over prefix lengths with
/// <see cref="TokenCounter.Count"/>, so a classification prompt never exceeds its excerpt budget.
/// </summary>
internal static class TokenExcerpt
{
    // o200k tokens rarely span more than a few characters; this caps how much text is ever tokenized.
    private const int MaxCharsPerToken = 16;

    public static string Take(TokenCounter counter, string text, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentNullException.ThrowIfNull(text);
        if (maxTokens <= 0)
        {
            return string.Empty;
        }

        var window = (int)Math.Min(text.Length, (long)maxTokens * MaxCharsPerToken);
        if (counter.Count(text[..window]) <= maxTokens)
        {
            return text[..window];
        }

        // Invariant: prefix of length low fits, prefix of length high does not.
        int low = 0, high = window;
        while (high - low > 1)
        {
            var mid = low + ((high - low) / 2);
            if (counter.Count(text[..mid]) <= maxTokens)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        if (low > 0 && char.IsHighSurrogate(text[low - 1]))
        {
            low--;
        }

        return text[..low];
    }
}
