using Microsoft.ML.Tokenizers;

namespace WildLong.Core.Documents;

/// <summary>
/// Counts tokens with the o200k_base encoding (GPT-4o family), the same tokenizer used for quota estimates, so
/// length buckets and cost figures agree with what the model deployment bills.
/// </summary>
public sealed class TokenCounter
{
    private static readonly Lazy<TokenCounter> SharedInstance = new(() => new TokenCounter());
    private readonly Tokenizer tokenizer;

    public TokenCounter()
        => tokenizer = TiktokenTokenizer.CreateForEncoding("o200k_base");

    /// <summary>A process-wide instance; the tokenizer is immutable and thread-safe, and loading it costs ~100 ms.</summary>
    public static TokenCounter Shared => SharedInstance.Value;

    public int Count(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return tokenizer.CountTokens(text);
    }
}
