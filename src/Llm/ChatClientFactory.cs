using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenAI;
using WildLong.Core.Model;
using WildLong.Llm.Quota;
using WildLong.Llm.Resilience;

namespace WildLong.Llm;

/// <summary>
/// Builds THE model client of a run: one <see cref="IChatClient"/> pipeline for the configured provider, made of
/// <list type="number">
/// <item>[cache slot: <see cref="ModelCacheLayer"/>, outermost, so a hit costs no quota];</item>
/// <item>OpenTelemetry: one trace span per logical model call and the GenAI duration and token histograms, under
/// <see cref="ModelMetrics.MeterName"/> (prompts and answers are not recorded);</item>
/// <item>resilience: total timeout and retries honouring retry-after (<see cref="ResilientChatClient"/>);</item>
/// <item>quota limiter: each attempt waits for TPM/RPM room and a concurrency slot (<see cref="QuotaLimitingChatClient"/>);</item>
/// <item>per-attempt timeout (<see cref="AttemptTimeoutChatClient"/>);</item>
/// <item>the provider's own client (Azure OpenAI or OpenAI, SDK retries off, network timeout from options) over an
/// <see cref="HttpClient"/> whose <see cref="RateLimitObservingHandler"/> feeds the limiter the server's headers.</item>
/// </list>
/// Register it once (<c>AddWildLongModel</c>): the limiter only works if every call of the process shares it.
/// </summary>
public sealed class ChatClientFactory : IDisposable
{
    private readonly ModelOptions options;
    private readonly UsageLedger ledger;
    private readonly TimeProvider time;
    private readonly ILoggerFactory loggerFactory;
    private readonly TokenCredential? credential;
    private readonly HttpClient httpClient;

    public ChatClientFactory(
        IOptions<ModelOptions> options,
        UsageLedger ledger,
        TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null,
        TokenCredential? credential = null,
        HttpMessageHandler? primaryHandler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        ModelOptionsValidator.ThrowIfInvalid(this.options);
        this.ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        this.time = time ?? TimeProvider.System;
        this.loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        this.credential = credential;
        Limiter = new QuotaLimiter(QuotaSettings.From(this.options), this.time, this.loggerFactory.CreateLogger<QuotaLimiter>());
        var transport = primaryHandler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = Math.Max(this.options.MaxConcurrency * 2, 16),
        };
        httpClient = new HttpClient(new RateLimitObservingHandler(Limiter, this.time) { InnerHandler = transport })
        {
            // The SDK's NetworkTimeout and the per-attempt timeout govern; HttpClient's own 100 s must not cut long calls.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The limiter shared by every client this factory builds (for status and benchmarks).</summary>
    public QuotaLimiter Limiter { get; }

    public ModelOptions Options => options;

    /// <summary>
    /// Builds the pipeline. <paramref name="cacheLayer"/> (usually from DI) wraps it outermost; null leaves the cache
    /// slot empty.
    /// </summary>
    public IChatClient Create(ModelCacheLayer? cacheLayer = null, IServiceProvider? services = null)
    {
        var builder = new ChatClientBuilder(CreateProviderClient());
        if (cacheLayer is not null)
        {
            builder.UseCacheLayer(cacheLayer);
        }

        return builder
            .UseOpenTelemetry(loggerFactory, ModelMetrics.MeterName)
            .UseModelResilience(options, ledger, time, loggerFactory.CreateLogger<ResilientChatClient>())
            .UseQuotaLimiting(Limiter, options.DefaultMaxOutputTokens)
            .UseAttemptTimeout(options, time)
            .Build(services);
    }

    /// <summary>The provider's chat client alone (no cache, retries or limiter), over the observed HTTP transport.</summary>
    public IChatClient CreateProviderClient() => CreateOpenAIClient().GetChatClient(options.Deployment).AsIChatClient();

    /// <summary>
    /// The provider's client (an <see cref="AzureOpenAIClient"/> for Azure), over the observed HTTP transport: its chat
    /// client answers online calls, its file and batch clients run batch mode (<see cref="Batch.ServiceBatchProvider"/>).
    /// </summary>
    public OpenAIClient CreateOpenAIClient()
    {
        var endpoint = options.Endpoint!;
        var provider = options.Provider.Trim().ToLowerInvariant();
        if (provider == ModelProviders.AzureOpenAI)
        {
            var azureOptions = options.ApiVersion is { } version
                ? new AzureOpenAIClientOptions(ModelOptionsValidator.TryParseApiVersion(version)!.Value)
                : new AzureOpenAIClientOptions();
            Configure(azureOptions);
            return options.UseManagedIdentity
                ? new AzureOpenAIClient(endpoint, credential ?? CreateDefaultCredential(), azureOptions)
                : new AzureOpenAIClient(endpoint, new ApiKeyCredential(options.ApiKey!), azureOptions);
        }

        var openAIOptions = new OpenAIClientOptions
        {
            Endpoint = provider == ModelProviders.Simulator ? SimulatorV1(endpoint) : endpoint,
        };
        Configure(openAIOptions);
        var key = string.IsNullOrWhiteSpace(options.ApiKey) ? SimulatorDefaultKey : options.ApiKey;
        return new OpenAIClient(new ApiKeyCredential(key), openAIOptions);
    }

    public void Dispose() => httpClient.Dispose();

    /// <summary>The simulator's built-in key, used when provider <c>simulator</c> has no ApiKey configured.</summary>
    public const string SimulatorDefaultKey = "wildlong-simulator-key";

    private void Configure(ClientPipelineOptions clientOptions)
    {
        // Retries are ours (Polly, quota-aware); the SDK's would retry 429s behind the limiter's back.
        clientOptions.RetryPolicy = new ClientRetryPolicy(0);
        clientOptions.NetworkTimeout = options.RequestTimeout;
        clientOptions.Transport = new HttpClientPipelineTransport(httpClient);
    }

    private DefaultAzureCredential CreateDefaultCredential()
        => new(new DefaultAzureCredentialOptions { ManagedIdentityClientId = options.ManagedIdentityClientId });

    private static Uri SimulatorV1(Uri root)
    {
        var text = root.ToString().TrimEnd('/');
        return new Uri(text.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? text : text + "/v1");
    }
}
