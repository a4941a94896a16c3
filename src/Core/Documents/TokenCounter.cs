using Microsoft.ML.Tokenizers;

namespace WildLong.Core.Documents;

/// <summary>
/// Counts and cuts text by tokens with the o200k_base encoding (GPT-4o family), the same tokenizer used for quota
/// estimates, so length buckets, prompt excerpts and cost figures agree with what the model deployment bills.
/// </summary>
public sealed class TokenCounter
{
    private static readonly Lazy<TokenCounter> SharedInstance = new(() => new TokenCounter());
    private readonly Tokenizer tokenizer;

    public TokenCounter()
        => tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");

    /// <summary>A process-wide instance; the tokenizer is immutable and thread-safe, and loading it costs ~100 ms.</summary>
    public static TokenCounter Shared => SharedInstance.Value;

    /// <summary>Framing tokens per chat message (role and separators), as OpenAI and Azure count them.</summary>
    public const int PerMessageOverhead = 3;

    /// <summary>Tokens that prime the assistant's reply in every chat prompt.</summary>
    public const int ReplyPriming = 3;

    /// <summary>A chat prompt's tokens as billed: each message's text plus its framing, plus the reply priming.</summary>
    public int CountChatPrompt(IEnumerable<string> messageTexts)
    {
        ArgumentNullException.ThrowIfNull(messageTexts);
        return ReplyPriming + messageTexts.Sum(text => Count(text) + PerMessageOverhead);
    }

    /// <summary>The token ids of <paramref name="text"/> (for prompt-prefix comparisons).</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return tokenizer.EncodeToIds(text);
    }

    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return tokenizer.CountTokens(text);
    }

    /// <summary>The longest prefix of <paramref name="text"/> that is at most <paramref name="maxTokens"/> tokens.</summary>
    public string Head(string text, int maxTokens) => Head(text, maxTokens, out _);

    /// <summary>As <see cref="Head(string, int)"/>, also giving the prefix's token count.</summary>
    public string Head(string text, int maxTokens, out int tokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var end = tokenizer.GetIndexByTokenCount(text, Math.Max(0, maxTokens), out _, out tokens);
        return text[..end];
    }

    /// <summary>The longest suffix of <paramref name="text"/> that is at most <paramref name="maxTokens"/> tokens.</summary>
    public string Tail(string text, int maxTokens, out int tokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = tokenizer.GetIndexByTokenCountFromEnd(text, Math.Max(0, maxTokens), out _, out tokens);
        return text[start..];
    }
}
