using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenAI;
using WildLong.Core.Model;
using WildLong.Llm.Caching;
using WildLong.Simulator;

namespace WildLong.Llm.Tests.Caching;

/// <summary>Simulator-backed and scripted chat clients, wrapped in the response cache, for the cache tests.</summary>
internal static class CacheTestKit
{
    public static Task<SimulatorServer> StartSimulatorAsync(Action<SimulatorOptions>? configure = null)
    {
        var options = new SimulatorOptions { MetricsLogIntervalSeconds = 0 };
        configure?.Invoke(options);
        return SimulatorServer.StartAsync(options, CancellationToken.None);
    }

    /// <summary>The real OpenAI client against the simulator, client retries off so every request is visible.</summary>
    public static IChatClient SimulatorChat(SimulatorServer server, string deployment = "gpt-4o-mini")
        => new OpenAIClient(new ApiKeyCredential(server.ApiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(server.BaseAddress, "v1"),
            RetryPolicy = new ClientRetryPolicy(0),
        }).GetChatClient(deployment).AsIChatClient();

    public static ResponseCachingChatClient Cache(IChatClient inner, IResponseCacheStore store, UsageLedger? ledger = null, ResponseCacheOptions? options = null, ILogger<ResponseCachingChatClient>? logger = null, ModelIdentity? modelIdentity = null)
        => new(inner, store, Options.Create(options ?? new ResponseCacheOptions()), ledger, logger ?? NullLogger<ResponseCachingChatClient>.Instance, modelIdentity);

    public static LlmCaller Caller(IChatClient chat, UsageLedger ledger)
        => new(chat, ledger, Options.Create(new LlmCallOptions()), NullLogger<LlmCaller>.Instance);

    public static ChatMessage[] Messages(string user, string system = "You answer questions about documents.")
        => [new(ChatRole.System, system), new(ChatRole.User, user)];

    /// <summary>Counts requests and answers each with whatever the script says.</summary>
    public sealed class ScriptedChat(Func<IReadOnlyList<ChatMessage>, ChatOptions?, ChatResponse> script) : IChatClient
    {
        private int requests;

        public int Requests => requests;

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref requests);
            return Task.FromResult(script([.. messages], options));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
            => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", new Uri("http://scripted.test/"), "scripted-model") : null;

        public void Dispose()
        {
        }

        public static ChatResponse Reply(string text, ChatFinishReason? finish = null) => new(new ChatMessage(ChatRole.Assistant, text))
        {
            FinishReason = finish ?? ChatFinishReason.Stop,
            ModelId = "scripted-model",
            Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 2, TotalTokenCount = 12 },
        };
    }

    /// <summary>Collects log messages so tests can see that cache trouble was reported.</summary>
    public sealed class ListLogger<T> : ILogger<T>
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Messages.Enqueue(formatter(state, exception));
    }
}
