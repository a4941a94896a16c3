using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace WildLong.Core.Model;

/// <summary>
/// The single seam between the method's stages and the model. It sends chat requests through
/// <see cref="IChatClient"/> (Azure OpenAI, any OpenAI-compatible server, or our simulator), records token usage
/// per stage, and for structured output validates the answer against the schema and retries with the validation
/// error before giving up. It never throws for a failed call: the failure comes back as a reason to quarantine.
/// Transport retries (429, 5xx, timeouts) belong to the resilience pipeline around the <see cref="IChatClient"/>.
/// </summary>
public sealed class LlmCaller
{
    private readonly IChatClient chatClient;
    private readonly UsageLedger ledger;
    private readonly LlmCallOptions options;
    private readonly ILogger<LlmCaller> logger;

    public LlmCaller(IChatClient chatClient, UsageLedger ledger, IOptions<LlmCallOptions> options, ILogger<LlmCaller> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.chatClient = chatClient ?? throw new ArgumentNullException(nameof(chatClient));
        this.ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        this.options = options.Value;
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// The key under which every call's stage name travels in <see cref="ChatOptions.AdditionalProperties"/>, so the
    /// client pipeline beneath (cache, limiter, retries) can attribute its work to the stage. Layers that forward
    /// options to the wire remove it first.
    /// </summary>
    public const string StageKey = "wildlong.stage";

    /// <summary>
    /// The key a response cache sets (to <c>true</c>) in <see cref="ChatResponse.AdditionalProperties"/> when it
    /// answers from the cache; such answers were not billed and are counted as cache hits, not calls.
    /// </summary>
    public const string CacheHitKey = "wildlong.cache_hit";

    /// <summary>
    /// Set (to <c>true</c>) in <see cref="Exception.Data"/> by a client layer that did not fail the call but deferred it
    /// (batch mode records the request for a batch and the work runs again once it is answered): such a call is
    /// neither logged as a failure nor counted as one.
    /// </summary>
    public const string DeferredKey = "wildlong.deferred";

    public UsageLedger Ledger => ledger;

    /// <summary>A free-text completion. Empty or truncated answers are failures.</summary>
    public async Task<LlmResult> CompleteTextAsync(string stage, IEnumerable<ChatMessage> messages, int maxOutputTokens, long? seed, CancellationToken cancellationToken)
    {
        var chatOptions = CreateOptions(stage, maxOutputTokens, seed);
        var (response, error) = await SendAsync(stage, [.. messages], chatOptions, cancellationToken);
        if (response is null)
        {
            return LlmResult.Fail(error!, 1, null);
        }

        var text = response.Text;
        if (response.FinishReason == ChatFinishReason.Length)
        {
            return LlmResult.Fail($"output truncated at max_tokens={maxOutputTokens} (finish_reason=length)", 1, text);
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return LlmResult.Fail("empty answer", 1, text);
        }

        return LlmResult.Ok(text.Trim(), default, 1);
    }

    /// <summary>
    /// A structured completion against a strict JSON schema. Invalid, truncated or schema-violating output is
    /// retried with the error (up to <see cref="LlmCallOptions.MaxStructuredAttempts"/>), then reported as failed.
    /// <paramref name="validate"/> adds checks beyond the schema (return an error message, or null when fine).
    /// </summary>
    public async Task<LlmResult> CompleteJsonAsync(
        string stage,
        IEnumerable<ChatMessage> messages,
        JsonElement schema,
        string schemaName,
        int maxOutputTokens,
        long? seed,
        Func<JsonElement, string?>? validate,
        CancellationToken cancellationToken)
    {
        var conversation = messages.ToList();
        var chatOptions = CreateOptions(stage, maxOutputTokens, seed);
        chatOptions.ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, schemaName);
        chatOptions.AdditionalProperties!["strict"] = true;

        var attempts = Math.Max(1, options.MaxStructuredAttempts);
        string? lastError = null;
        string? lastRaw = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var (response, transportError) = await SendAsync(stage, conversation, chatOptions, cancellationToken);
            if (response is null)
            {
                return LlmResult.Fail(transportError!, attempt, lastRaw);
            }

            lastRaw = response.Text;
            JsonElement value = default;
            lastError = response.FinishReason == ChatFinishReason.Length
                ? $"the answer was cut off at max_tokens={maxOutputTokens} (finish_reason=length); answer more briefly"
                : Validate(schema, lastRaw, validate, out value);
            if (lastError is null)
            {
                return LlmResult.Ok(lastRaw!, value, attempt);
            }

            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("Stage {Stage}: structured answer rejected on attempt {Attempt}: {Error}", stage, attempt, lastError);
            }

            conversation.Add(new ChatMessage(ChatRole.Assistant, lastRaw ?? string.Empty));
            conversation.Add(new ChatMessage(ChatRole.User,
                $"Your previous answer was rejected: {lastError}. Reply again with only one JSON object that satisfies the schema '{schemaName}'."));
        }

        return LlmResult.Fail($"invalid structured output after {attempts} attempts: {lastError}", attempts, lastRaw);
    }

    private static string? Validate(JsonElement schema, string? raw, Func<JsonElement, string?>? validate, out JsonElement value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(raw))
        {
            return "the answer was empty";
        }

        try
        {
            using var document = JsonDocument.Parse(raw);
            value = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            return $"the answer is not valid JSON ({ex.Message})";
        }

        var violations = JsonSchemaInstanceValidator.Validate(schema, value);
        if (violations.Count > 0)
        {
            return "the answer does not match the schema: " + string.Join("; ", violations.Take(5));
        }

        return validate?.Invoke(value);
    }

    private ChatOptions CreateOptions(string stage, int maxOutputTokens, long? seed)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOutputTokens);
        return new ChatOptions
        {
            MaxOutputTokens = maxOutputTokens,
            Temperature = options.Temperature,
            Seed = seed ?? options.Seed,
            ModelId = options.ModelId,
            AdditionalProperties = new AdditionalPropertiesDictionary { [StageKey] = stage },
        };
    }

    private async Task<(ChatResponse? Response, string? Error)> SendAsync(string stage, List<ChatMessage> messages, ChatOptions chatOptions, CancellationToken cancellationToken)
    {
        try
        {
            var response = await chatClient.GetResponseAsync(messages, chatOptions, cancellationToken);
            if (response.AdditionalProperties?.TryGetValue(CacheHitKey, out var hit) != true || hit is not true)
            {
                ledger.Record(stage, response.Usage);
            }

            return (response, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex.Data[DeferredKey] is true)
        {
            return (null, $"deferred: {ex.Message}");
        }
        catch (Exception ex)
        {
            ledger.Record(stage, null, failed: true);
            logger.LogWarning(ex, "Stage {Stage}: model call failed", stage);
            return (null, $"model call failed: {ex.GetType().Name}: {ex.Message}");
        }
    }
}
