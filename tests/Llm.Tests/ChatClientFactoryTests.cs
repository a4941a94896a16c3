using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WildLong.Core.Model;
using WildLong.Llm.Tests.Support;
using WildLong.Simulator;
using ChatMessage = Microsoft.Extensions.AI.ChatMessage;

namespace WildLong.Llm.Tests;

/// <summary>The pipeline builds for every provider kind with the real client libraries and works over HTTP.</summary>
public sealed class ChatClientFactoryTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "Summarise the warranty terms of the purchase agreement.")];

    [Fact]
    public async Task Simulator_provider_answers_through_the_v1_route()
    {
        await using var harness = await ModelHarness.StartAsync();

        var result = await harness.Caller.CompleteTextAsync("answer", Question, 100, 1, CancellationToken.None);

        Assert.True(result.Success, result.FailureReason);
        Assert.StartsWith("/v1/chat/completions", Assert.Single(harness.Wire.Exchanges).PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(1, harness.Ledger.Snapshot()["answer"].Calls);
    }

    [Fact]
    public async Task Openai_compatible_provider_uses_the_endpoint_as_given()
    {
        await using var harness = await ModelHarness.StartAsync(model: o =>
        {
            o.Provider = ModelProviders.OpenAICompatible;
            o.Endpoint = new Uri(o.Endpoint!, "openai/v1");
        });

        var result = await harness.Caller.CompleteTextAsync("answer", Question, 100, 1, CancellationToken.None);

        Assert.True(result.Success, result.FailureReason);
        Assert.StartsWith("/openai/v1/chat/completions", Assert.Single(harness.Wire.Exchanges).PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_provider_with_a_key_uses_the_deployment_route_and_the_configured_api_version()
    {
        await using var harness = await ModelHarness.StartAsync(model: o =>
        {
            o.Provider = ModelProviders.AzureOpenAI;
            o.ApiVersion = "2024-10-21";
        });

        var result = await harness.Caller.CompleteTextAsync("answer", Question, 100, 1, CancellationToken.None);

        Assert.True(result.Success, result.FailureReason);
        Assert.Equal("/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21", Assert.Single(harness.Wire.Exchanges).PathAndQuery);
    }

    [Fact]
    public void Azure_provider_with_managed_identity_builds_without_a_key()
    {
        var options = new ModelOptions { Provider = ModelProviders.AzureOpenAI, Endpoint = new Uri("https://example.openai.azure.com/"), UseManagedIdentity = true };
        using var factory = new ChatClientFactory(Options.Create(options), new UsageLedger());

        using var client = factory.Create();

        Assert.NotNull(client.GetService<WildLong.Llm.Resilience.ResilientChatClient>());
        Assert.NotNull(client.GetService<WildLong.Llm.Quota.QuotaLimitingChatClient>());
        Assert.Equal("example.openai.azure.com", client.GetService<ChatClientMetadata>()!.ProviderUri!.Host);
    }

    [Fact]
    public async Task Wrong_key_fails_once_with_a_clear_reason_and_is_not_retried()
    {
        await using var harness = await ModelHarness.StartAsync(model: o => o.ApiKey = "not-the-key");

        var result = await harness.Caller.CompleteTextAsync("answer", Question, 100, 1, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("401", result.FailureReason, StringComparison.Ordinal);
        Assert.Single(harness.Wire.Exchanges);
        var usage = harness.Ledger.Snapshot()["answer"];
        Assert.Equal((1, 0L), (usage.FailedCalls, usage.Retries));
    }

    [Fact]
    public async Task Unknown_deployment_fails_once_with_the_servers_message()
    {
        await using var harness = await ModelHarness.StartAsync(model: o => o.Deployment = "gpt-5-nonexistent");

        var result = await harness.Caller.CompleteTextAsync("answer", Question, 100, 1, CancellationToken.None);

        Assert.False(result.Success);
        Assert.Contains("404", result.FailureReason, StringComparison.Ordinal);
        Assert.Single(harness.Wire.Exchanges);
    }

    [Fact]
    public async Task AddWildLongModel_binds_configuration_and_registers_one_shared_pipeline()
    {
        await using var server = await SimulatorServer.StartAsync(new SimulatorOptions { MetricsLogIntervalSeconds = 0 }, CancellationToken.None);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WildLong:Model:Provider"] = "simulator",
            ["WildLong:Model:Endpoint"] = server.BaseAddress.ToString(),
            ["WildLong:Model:Tpm"] = "150000",
            ["WildLong:Model:RequestTimeout"] = "00:02:00",
            ["WildLong:Model:Pricing:OutputPer1K"] = "0.002",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddWildLongModel(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<ModelOptions>>().Value;
        var chat = services.GetRequiredService<IChatClient>();
        var ledger = services.GetRequiredService<UsageLedger>();
        var response = await chat.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 50 });

        Assert.Equal((150_000, TimeSpan.FromMinutes(2), 0.002m), (options.Tpm, options.RequestTimeout, options.Pricing.OutputPer1K));
        Assert.Same(chat, services.GetRequiredService<IChatClient>());
        Assert.Equal(150_000, services.GetRequiredService<ChatClientFactory>().Limiter.Settings.Tpm);
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.NotNull(ledger);
    }

    [Fact]
    public async Task AddWildLongModel_reports_configuration_errors_by_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WildLong:Model:Provider"] = "azure-openai",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddWildLongModel(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IChatClient>());

        Assert.Contains("WildLong:Model:Endpoint is required for provider azure-openai.", ex.Failures);
        Assert.Contains(ex.Failures, f => f.StartsWith("WildLong:Model:ApiKey is required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_registered_cache_layer_wraps_the_pipeline_outermost_so_a_hit_never_reaches_the_limiter()
    {
        await using var server = await SimulatorServer.StartAsync(new SimulatorOptions { MetricsLogIntervalSeconds = 0 }, CancellationToken.None);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WildLong:Model:Endpoint"] = server.BaseAddress.ToString(),
        }).Build();
        var cache = new AnswerEverythingCache();
        await using var services = new ServiceCollection().AddLogging()
            .AddSingleton(new ModelCacheLayer((inner, _) => cache.Wrap(inner)))
            .AddWildLongModel(configuration).BuildServiceProvider();

        var response = await services.GetRequiredService<IChatClient>().GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 50 });

        Assert.Equal("cached", response.Text);
        Assert.Equal(0, services.GetRequiredService<ChatClientFactory>().Limiter.Snapshot().Admitted);
        Assert.Equal(0, server.Metrics.Snapshot().Totals.Requests);
        // Beneath the cache: the trace of a model call, then its retries (and beneath them the limiter).
        Assert.IsType<OpenTelemetryChatClient>(cache.Inner);
        Assert.NotNull(cache.Inner.GetService<WildLong.Llm.Resilience.ResilientChatClient>());
    }

    /// <summary>A stand-in for the response cache: answers everything itself and remembers what it wrapped.</summary>
    private sealed class AnswerEverythingCache
    {
        public IChatClient? Inner { get; private set; }

        public IChatClient Wrap(IChatClient inner)
        {
            Inner = inner;
            return new Fixed(inner);
        }

        private sealed class Fixed(IChatClient inner) : DelegatingChatClient(inner)
        {
            public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
                => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "cached")));
        }
    }
}
