using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WildLong.Core.Common;
using WildLong.Simulator.Caching;
using WildLong.Simulator.Faults;
using WildLong.Simulator.Generation;
using WildLong.Simulator.Quota;

namespace WildLong.Simulator.Http;

/// <summary>
/// The chat-completions request pipeline, in the order Azure applies it: authenticate, find the deployment,
/// parse the body, admit against quota (or 429), then inject a fault or answer after the simulated latency, with
/// usage counted by the real tokenizer and cached tokens from the prompt cache.
/// </summary>
internal sealed class ChatCompletionEndpoint
{
    private readonly SimulatorOptions options;
    private readonly SimulatorMetrics metrics;
    private readonly TimeProvider time;
    private readonly CancellationToken stopping;
    private readonly ILogger logger;
    private readonly Dictionary<string, DeploymentQuota> quotas;
    private readonly PromptCache cache;
    private readonly FaultInjector faults;
    private long sequence;

    public ChatCompletionEndpoint(SimulatorOptions options, SimulatorMetrics metrics, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        this.options = options;
        this.metrics = metrics;
        this.time = time;
        this.stopping = stopping;
        this.logger = logger;
        quotas = options.Deployments.ToDictionary(d => d.Name, d => new DeploymentQuota(d.TokensPerMinute, d.RequestsPerMinute), StringComparer.OrdinalIgnoreCase);
        cache = new PromptCache(TimeSpan.FromMinutes(options.CacheWindowMinutes), options.CacheCapacity);
        faults = new FaultInjector(options.Faults);
    }

    public bool IsAuthorized(HttpRequest request)
    {
        var key = request.Headers["api-key"].ToString();
        if (string.IsNullOrEmpty(key))
        {
            var authorization = request.Headers.Authorization.ToString();
            key = authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : string.Empty;
        }

        return string.Equals(key, options.ApiKey, StringComparison.Ordinal);
    }

    public static Task WriteUnauthorizedAsync(HttpContext context)
        => OpenAIError.WriteAsync(context, StatusCodes.Status401Unauthorized, "401",
            "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.",
            "invalid_request_error");

    public async Task HandleAsync(HttpContext context, string? routeDeployment)
    {
        metrics.Received();
        var ct = context.RequestAborted;
        if (!IsAuthorized(context.Request))
        {
            metrics.Rejected();
            await WriteUnauthorizedAsync(context);
            return;
        }

        if (routeDeployment is not null)
        {
            if (!context.Request.Query.ContainsKey("api-version"))
            {
                await RejectAsync(context, null, 400, "BadRequest", "The 'api-version' query parameter is required.", "invalid_request_error");
                return;
            }

            if (!quotas.ContainsKey(routeDeployment))
            {
                await RejectDeploymentAsync(context, routeDeployment);
                return;
            }
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: ct);
        }
        catch (JsonException ex)
        {
            await RejectAsync(context, routeDeployment, 400, "BadRequest",
                $"We could not parse the JSON body of your request: {ex.Message}", "invalid_request_error");
            return;
        }

        // The quota's clock for this request: the body has arrived. What the simulator does next (parsing the
        // request, counting its tokens) is its own processing time, which a warm service keeps to milliseconds but a
        // simulator sharing a loaded test machine with its clients does not (README, "Quota").
        var received = time.GetUtcNow();
        var request = ChatRequest.Parse(body, routeDeployment, out var error);
        if (request is null)
        {
            var named = routeDeployment ?? (body is JsonObject o && o["model"] is JsonValue m && m.TryGetValue<string>(out var model) ? model : null);
            await RejectAsync(context, named, 400, "BadRequest", error!, "invalid_request_error");
            return;
        }

        if (!quotas.TryGetValue(request.Deployment, out var quota))
        {
            await RejectDeploymentAsync(context, request.Deployment);
            return;
        }

        // A structured-output schema is part of the prompt the service bills (it is rendered into the model's context).
        var promptTokens = PromptTokens.CountPrompt(request.Messages) + (request.Schema is { } schema ? PromptTokens.Count(WildLong.Core.Model.SchemaText.Compact(schema)) : 0);
        var charge = (long)promptTokens + (request.MaxTokens ?? options.DefaultMaxTokens);
        var now = time.GetUtcNow();
        var decision = quota.TryAdmit(charge, received);
        SetRateHeaders(context.Response, decision.RemainingTokens, decision.RemainingRequests);
        var requestId = $"{Interlocked.Increment(ref sequence):x8}-{request.ContentHash:x16}";
        context.Response.Headers["x-request-id"] = requestId;
        context.Response.Headers["apim-request-id"] = requestId;
        if (!decision.Admitted)
        {
            metrics.Throttled();
            await WriteThrottledAsync(context, request.Deployment, decision);
            return;
        }

        metrics.Admitted(charge);
        var fault = faults.Decide(request.ContentHash, request.Schema is not null);
        if (fault != FaultKind.None)
        {
            metrics.Fault(fault);
            if (logger.IsEnabled(LogLevel.Debug))
            {
                logger.LogDebug("Injecting {Fault} into request {RequestId}", fault, requestId);
            }
        }

        switch (fault)
        {
            case FaultKind.ServerError:
                await OpenAIError.WriteAsync(context, 500, "InternalServerError", "The server had an error while processing your request (simulated).", "server_error");
                return;
            case FaultKind.ServiceUnavailable:
                context.Response.Headers["retry-after"] = "1";
                context.Response.Headers["retry-after-ms"] = "1000";
                await OpenAIError.WriteAsync(context, 503, "ServiceUnavailable", "The service is temporarily unable to process your request (simulated).", "server_error");
                return;
            case FaultKind.ConnectionReset:
                context.Abort();
                return;
            case FaultKind.Hang:
                await HangAsync(context);
                return;
        }

        var cached = promptTokens >= PromptCache.MinimumPrefix
            ? cache.LookupAndStore(request.Deployment, PromptTokens.EncodePrompt(request.Messages), now)
            : 0;
        var completion = CompletionGenerator.Generate(request, options.Seed, options.DefaultMaxTokens, fault);
        var random = new DeterministicRandom(StableHash.Mix((ulong)options.Seed ^ 0x1A7E9C7UL, request.ContentHash));
        var created = now.ToUnixTimeSeconds();
        var id = "chatcmpl-sim" + requestId.Replace("-", string.Empty, StringComparison.Ordinal);
        metrics.Served(promptTokens, completion.CompletionTokens, cached);
        try
        {
            if (request.Stream)
            {
                await StreamAsync(context, request, completion, id, created, promptTokens, cached, fault, random);
                return;
            }

            await DelayAsync(options.Latency.TimeToFirstTokenMs + (options.Latency.PerOutputTokenMs * completion.CompletionTokens), random, ct);
            var json = ChatCompletionJson.Completion(id, created, request.Deployment, completion, promptTokens, cached).ToJsonString(WildLongJson.Options);
            if (fault == FaultKind.MalformedJson)
            {
                json = json[..(json.Length / 2)];
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client gave up while the answer was being "generated"; nothing left to send.
        }
    }

    private async Task StreamAsync(HttpContext context, ChatRequest request, GeneratedCompletion completion, string id, long created,
        int promptTokens, int cached, FaultKind fault, DeterministicRandom random)
    {
        var ct = context.RequestAborted;
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await DelayAsync(options.Latency.TimeToFirstTokenMs, random, ct);
        await SendEventAsync(context, ChatCompletionJson.Chunk(id, created, request.Deployment, new JsonObject { ["role"] = "assistant", ["content"] = string.Empty }, null).ToJsonString(WildLongJson.Options));

        var pieces = Pieces(completion.Content);
        var perPiece = pieces.Count == 0 ? 0 : options.Latency.PerOutputTokenMs * completion.CompletionTokens / pieces.Count;
        for (var i = 0; i < pieces.Count; i++)
        {
            await DelayAsync(perPiece, random, ct);
            var chunk = ChatCompletionJson.Chunk(id, created, request.Deployment, new JsonObject { ["content"] = pieces[i] }, null).ToJsonString(WildLongJson.Options);
            if (fault == FaultKind.MalformedJson && i == pieces.Count / 2)
            {
                await SendEventAsync(context, chunk[..(chunk.Length / 2)]);
                return;
            }

            await SendEventAsync(context, chunk);
        }

        await SendEventAsync(context, ChatCompletionJson.Chunk(id, created, request.Deployment, [], completion.FinishReason).ToJsonString(WildLongJson.Options));
        if (request.StreamIncludeUsage)
        {
            var usage = ChatCompletionJson.Usage(promptTokens, completion.CompletionTokens, cached);
            await SendEventAsync(context, ChatCompletionJson.Chunk(id, created, request.Deployment, null, null, usage).ToJsonString(WildLongJson.Options));
        }

        await SendEventAsync(context, "[DONE]");
    }

    private static async Task SendEventAsync(HttpContext context, string data)
    {
        await context.Response.WriteAsync("data: " + data + "\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>Splits text into pieces of a few words, as a model streams it.</summary>
    private static List<string> Pieces(string text)
    {
        var pieces = new List<string>();
        var current = new StringBuilder();
        foreach (var ch in text)
        {
            current.Append(ch);
            if (char.IsWhiteSpace(ch) && current.Length >= 12)
            {
                pieces.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            pieces.Add(current.ToString());
        }

        return pieces;
    }

    private async Task HangAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.Faults.HangSeconds), time, linked.Token);
            await OpenAIError.WriteAsync(context, StatusCodes.Status408RequestTimeout, "Timeout", "The request timed out (simulated hang).", "server_error");
        }
        catch (OperationCanceledException)
        {
            // Client gave up or the server is stopping: exactly what a hang should end with.
        }
    }

    private async Task DelayAsync(double milliseconds, DeterministicRandom random, CancellationToken ct)
    {
        if (milliseconds <= 0)
        {
            return;
        }

        var jitter = options.Latency.Jitter;
        var factor = jitter > 0 ? 1 - jitter + (2 * jitter * random.NextDouble()) : 1;
        await Task.Delay(TimeSpan.FromMilliseconds(milliseconds * factor), time, ct);
    }

    private static async Task WriteThrottledAsync(HttpContext context, string deployment, QuotaDecision decision)
    {
        var milliseconds = Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalMilliseconds));
        var seconds = Math.Max(1, (long)Math.Ceiling(decision.RetryAfter.TotalSeconds));
        context.Response.Headers["retry-after-ms"] = milliseconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["retry-after"] = seconds.ToString(CultureInfo.InvariantCulture);
        var apiVersion = context.Request.Query["api-version"].ToString();
        var limit = decision.LimitKind == "requests" ? "call rate limit" : "token rate limit";
        await OpenAIError.WriteAsync(context, StatusCodes.Status429TooManyRequests, "429",
            $"Requests to the ChatCompletions_Create Operation under Azure OpenAI API version {(apiVersion.Length > 0 ? apiVersion : "v1")} have exceeded {limit} of deployment '{deployment}' (wildlong-simulator). Please retry after {seconds} second{(seconds == 1 ? string.Empty : "s")}.",
            "rate_limit_exceeded");
    }

    private Task RejectDeploymentAsync(HttpContext context, string deployment)
    {
        metrics.Rejected();
        return OpenAIError.WriteAsync(context, StatusCodes.Status404NotFound, "DeploymentNotFound",
            $"The API deployment '{deployment}' does not exist. Deployments served by this simulator: {string.Join(", ", quotas.Keys)}.",
            "invalid_request_error");
    }

    private Task RejectAsync(HttpContext context, string? deployment, int status, string code, string message, string type)
    {
        metrics.Rejected();
        if (deployment is not null && quotas.TryGetValue(deployment, out var quota))
        {
            var (tokens, requests) = quota.Peek(time.GetUtcNow());
            SetRateHeaders(context.Response, tokens, requests);
        }

        return OpenAIError.WriteAsync(context, status, code, message, type);
    }

    private static void SetRateHeaders(HttpResponse response, long remainingTokens, long remainingRequests)
    {
        response.Headers["x-ratelimit-remaining-tokens"] = remainingTokens.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining-requests"] = remainingRequests.ToString(CultureInfo.InvariantCulture);
    }
}
