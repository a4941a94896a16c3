using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Model;
using WildLong.Llm.Batch;

namespace WildLong.Llm.Caching;

/// <summary>
/// Answers a request from the response cache when the very same request to the very same model (see
/// <see cref="ResponseCacheKey"/> and <see cref="ModelIdentity"/>; an entry recorded under another identity is a
/// miss) was answered before, so reruns, resumed runs and retried activities never pay twice. Only complete answers are
/// stored (finish reason stop, non-empty, valid JSON matching the schema for structured requests); a hit is
/// marked (<see cref="IsCacheHit"/>) and counted per stage in the <see cref="UsageLedger"/>. Cache trouble (a
/// corrupt entry, storage down) is logged and treated as a miss; it never fails the call. Named apart from
/// <c>Microsoft.Extensions.AI.CachingChatClient</c>, which caches every answer and knows nothing of stages.
/// Streaming calls pass through uncached.
/// </summary>
public sealed class ResponseCachingChatClient : DelegatingChatClient
{
    /// <summary>Set to true in <see cref="ChatResponse.AdditionalProperties"/> of an answer served from the cache.</summary>
    public const string CacheHitProperty = LlmCaller.CacheHitKey;

    /// <summary>The cache key of the request, in <see cref="ChatResponse.AdditionalProperties"/> of a served answer.</summary>
    public const string CacheKeyProperty = "wildlong.cache_key";

    private const string UnstagedName = "unstaged";

    /// <summary>Max tokens written into a batch line whose request set none (every stage sets one).</summary>
    private const int DefaultBatchMaxOutputTokens = 4096;

    private readonly IResponseCacheStore store;
    private readonly ResponseCacheOptions options;
    private readonly UsageLedger? ledger;
    private readonly ILogger<ResponseCachingChatClient> logger;
    private readonly Lazy<(string Identity, string? DefaultModel)> identity;

    /// <summary>
    /// The cache in front of <paramref name="innerClient"/>. <paramref name="modelIdentity"/> says who answers (from
    /// DI: the configured, possibly probed, model); null derives it from the inner client's metadata — provider name,
    /// full endpoint with port and path, default model.
    /// </summary>
    public ResponseCachingChatClient(IChatClient innerClient, IResponseCacheStore store, IOptions<ResponseCacheOptions> options, UsageLedger? ledger, ILogger<ResponseCachingChatClient> logger, ModelIdentity? modelIdentity = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.store = store ?? throw new ArgumentNullException(nameof(store));
        this.options = options.Value;
        this.ledger = ledger;
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        identity = new Lazy<(string, string?)>(() =>
        {
            var metadata = InnerClient.GetService<ChatClientMetadata>();
            var who = this.options.Provider
                ?? modelIdentity?.Text
                ?? string.Join('|', metadata?.ProviderName ?? "-", ModelIdentity.NormalizeEndpoint(metadata?.ProviderUri), metadata?.DefaultModelId ?? "-");
            return (who, modelIdentity?.Deployment ?? metadata?.DefaultModelId);
        });
    }

    /// <summary>The identity this cache keys and records its entries under (see <see cref="ModelIdentity"/>).</summary>
    public string Identity => identity.Value.Identity;

    /// <summary>True when <paramref name="response"/> was served from the response cache.</summary>
    public static bool IsCacheHit(ChatResponse response)
        => response?.AdditionalProperties?.TryGetValue(CacheHitProperty, out var value) == true && value is true;

    /// <summary>The key a request is cached under with these options and this inner client (null: not cacheable).</summary>
    public string? KeyFor(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions)
    {
        var (who, defaultModel) = identity.Value;
        return ResponseCacheKey.Compute(options.Namespace, who, chatOptions?.ModelId ?? defaultModel, messages, chatOptions);
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var deferral = BatchDeferral.Current;
        if (!this.options.Enabled && deferral is null)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }

        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var key = KeyFor(list, options);
        if (key is null)
        {
            return deferral is null
                ? await base.GetResponseAsync(list, options, cancellationToken)
                : throw new BatchAnswerFailedException("the request cannot be sent in a batch (tools or non-text content)");
        }

        var cached = this.options.Enabled ? await TryGetAsync(key, cancellationToken) : null;
        if (cached is not null)
        {
            ledger?.RecordCacheHit(StageOf(options));
            var hit = cached.ToChatResponse();
            hit.AdditionalProperties = new AdditionalPropertiesDictionary { [CacheHitProperty] = true, [CacheKeyProperty] = key };
            return hit;
        }

        if (deferral is not null)
        {
            return await FromBatchAsync(deferral, key, list, options, cancellationToken);
        }

        var response = await base.GetResponseAsync(list, options, cancellationToken);
        if (IsComplete(response, options))
        {
            await TryPutAsync(CachedChatResponse.From(key, Identity, response), cancellationToken);
        }

        return response;
    }

    /// <summary>True for an answer worth keeping: finished normally, non-empty, and for JSON formats valid JSON matching the schema.</summary>
    public static bool IsComplete(ChatResponse response, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.FinishReason != ChatFinishReason.Stop || string.IsNullOrWhiteSpace(response.Text))
        {
            return false;
        }

        if (options?.ResponseFormat is not ChatResponseFormatJson json)
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(response.Text);
            return json.Schema is not { } schema || JsonSchemaInstanceValidator.Validate(schema, document.RootElement).Count == 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// Batch mode (see <see cref="BatchDeferral"/>): the collected batch answer — returned as a cache hit, because the
    /// collection billed it, and stored in the cache when complete —, or the request recorded as a batch line.
    /// </summary>
    private async Task<ChatResponse> FromBatchAsync(BatchDeferral deferral, string key, IReadOnlyList<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var known = await BatchAnswers.LookupAsync(store, key, cancellationToken);
        if (known.Answer is { } answer)
        {
            var response = answer.ToChatResponse();
            if (this.options.Enabled && IsComplete(response, options))
            {
                await TryPutAsync(CachedChatResponse.From(key, Identity, response), cancellationToken);
            }

            response.AdditionalProperties = new AdditionalPropertiesDictionary { [CacheHitProperty] = true, [CacheKeyProperty] = key };
            return response;
        }

        if (known.FinalFailure is { } reason)
        {
            throw new BatchAnswerFailedException(reason);
        }

        if (deferral.Final)
        {
            throw new BatchAnswerFailedException($"no batch answer after {deferral.Pass - 1} batch pass(es)");
        }

        var stage = StageOf(options);
        var customId = BatchDeferral.CustomIdOf(stage, key);
        var line = BatchRequestWriter.ToJsonLine(new BatchRequest
        {
            CustomId = customId,
            Model = options?.ModelId ?? identity.Value.DefaultModel ?? "default",
            Messages = messages,
            MaxOutputTokens = options?.MaxOutputTokens ?? DefaultBatchMaxOutputTokens,
            ResponseFormat = options?.ResponseFormat,
            Temperature = options?.Temperature,
            Seed = options?.Seed,
        }, deferral.Url);
        deferral.Record(customId, line, known.FailedOnce ? 2 : 1);
        throw new BatchAnswerPendingException($"stage {stage}: the answer is pending in a batch (pass {deferral.Pass})");
    }

    private static string StageOf(ChatOptions? options)
        => options?.AdditionalProperties?.TryGetValue(LlmCaller.StageKey, out var stage) == true && stage is string { Length: > 0 } name
            ? name
            : UnstagedName;

    private async Task<CachedChatResponse?> TryGetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var entry = await store.GetAsync(key, cancellationToken);
            if (entry is not null && !string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                logger.LogWarning("Response cache returned an entry for another key; treated as a miss");
                return null;
            }

            if (entry is not null && !string.Equals(entry.Identity, Identity, StringComparison.Ordinal))
            {
                if (logger.IsEnabled(LogLevel.Warning))
                {
                    logger.LogWarning("Response cache entry {Key} was answered by '{Recorded}', not by this run's model '{Identity}'; treated as a miss", key, entry.Identity ?? "(unrecorded)", Identity);
                }

                return null;
            }

            return entry;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Response cache lookup failed; treated as a miss");
            return null;
        }
    }

    private async Task TryPutAsync(CachedChatResponse entry, CancellationToken cancellationToken)
    {
        try
        {
            await store.PutAsync(entry, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Storing a response in the cache failed; the answer is returned uncached");
        }
    }
}
