using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace WildLong.Core.Tests.Support;

/// <summary>
/// A deterministic <see cref="IChatClient"/> for stage tests: each request is answered by a script function that
/// sees the messages and options, and every request is recorded for assertions.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    private readonly Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> script;

    public ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> script) => this.script = script;

    /// <summary>Answers every request with text from <paramref name="answer"/> (finish reason Stop, usage counted in characters/4).</summary>
    public static ScriptedChatClient FromText(Func<IReadOnlyList<ChatMessage>, ChatOptions?, string> answer)
        => new((messages, options) => Reply(answer(messages, options), messages));

    /// <summary>Answers requests in order from a fixed list; throws when the list is exhausted.</summary>
    public static ScriptedChatClient Sequence(params string[] answers)
    {
        var queue = new ConcurrentQueue<string>(answers);
        return FromText((_, _) => queue.TryDequeue(out var next) ? next : throw new InvalidOperationException("script exhausted"));
    }

    public ConcurrentQueue<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = new();

    public static ChatResponse Reply(string text, IReadOnlyList<ChatMessage> messages, ChatFinishReason? finishReason = null)
        => new(new ChatMessage(ChatRole.Assistant, text))
        {
            FinishReason = finishReason ?? ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = messages.Sum(m => m.Text.Length) / 4,
                OutputTokenCount = text.Length / 4,
            },
        };

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Requests.Enqueue((list, options));
        return Task.FromResult(script(list, options));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        => throw new NotSupportedException("stages do not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
