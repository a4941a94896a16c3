using Microsoft.ML.Tokenizers;
using WildLong.Core.Documents;
using WildLong.Simulator.Http;

namespace WildLong.Simulator.Generation;

/// <summary>
/// Token arithmetic with the o200k_base encoding the clients and Core's quota estimates use, so prompt and
/// completion counts in <c>usage</c> match what WildLong predicts, and prompt-cache prefixes are real token ids.
/// </summary>
internal static class PromptTokens
{
    /// <summary>Tokens OpenAI adds around every message (role and separators), and to prime the reply.</summary>
    public const int PerMessageOverhead = 3;
    public const int ReplyPriming = 3;

    private static readonly Lazy<Tokenizer> Encoding = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public static int Count(string text) => TokenCounter.Shared.Count(text);

    /// <summary>Prompt tokens as billed: each message's content plus a small fixed overhead per message.</summary>
    public static int CountPrompt(IReadOnlyList<ChatTurn> messages)
        => messages.Sum(m => Count(m.Text) + PerMessageOverhead) + ReplyPriming;

    /// <summary>
    /// The prompt as one token sequence for prefix caching: per message, one id standing for the role, then the
    /// content's ids. It is never longer than <see cref="CountPrompt"/>, so cached tokens never exceed prompt tokens.
    /// </summary>
    public static List<int> EncodePrompt(IReadOnlyList<ChatTurn> messages)
    {
        var ids = new List<int>();
        foreach (var message in messages)
        {
            ids.Add(Encoding.Value.EncodeToIds(message.Role) is { Count: > 0 } role ? role[0] : 0);
            ids.AddRange(Encoding.Value.EncodeToIds(message.Text));
        }

        return ids;
    }

    /// <summary>The longest prefix of <paramref name="text"/> with at most <paramref name="maxTokens"/> tokens.</summary>
    public static string Truncate(string text, int maxTokens)
    {
        if (maxTokens <= 0)
        {
            return string.Empty;
        }

        var index = Encoding.Value.GetIndexByTokenCount(text, maxTokens, out _, out _);
        return text[..Math.Min(index, text.Length)];
    }
}
