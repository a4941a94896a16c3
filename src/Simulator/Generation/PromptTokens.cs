using WildLong.Core.Documents;
using WildLong.Simulator.Http;

namespace WildLong.Simulator.Generation;

/// <summary>
/// Token arithmetic with the o200k_base encoding the clients and Core's quota estimates use, so prompt and
/// completion counts in <c>usage</c> match what WildLong predicts, and prompt-cache prefixes are real token ids.
/// </summary>
internal static class PromptTokens
{
    public static int Count(string text) => TokenCounter.Shared.Count(text);

    /// <summary>Prompt tokens as billed: each message's content plus a small fixed overhead per message.</summary>
    public static int CountPrompt(IReadOnlyList<ChatTurn> messages)
        => TokenCounter.Shared.CountChatPrompt(messages.Select(m => m.Text));

    /// <summary>
    /// The prompt as one token sequence for prefix caching: per message, one id standing for the role, then the
    /// content's ids. It is never longer than <see cref="CountPrompt"/>, so cached tokens never exceed prompt tokens.
    /// </summary>
    public static List<int> EncodePrompt(IReadOnlyList<ChatTurn> messages)
    {
        var ids = new List<int>();
        foreach (var message in messages)
        {
            ids.Add(TokenCounter.Shared.Encode(message.Role) is { Count: > 0 } role ? role[0] : 0);
            ids.AddRange(TokenCounter.Shared.Encode(message.Text));
        }

        return ids;
    }

    /// <summary>The longest prefix of <paramref name="text"/> with at most <paramref name="maxTokens"/> tokens.</summary>
    public static string Truncate(string text, int maxTokens) => TokenCounter.Shared.Head(text, maxTokens);
}
