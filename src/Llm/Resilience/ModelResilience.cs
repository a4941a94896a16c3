using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using WildLong.Core.Model;
using WildLong.Llm.Quota;

namespace WildLong.Llm.Resilience;

/// <summary>
/// Builds the Polly pipelines of the model client from <see cref="ModelOptions"/>, so retry policy lives in one
/// place: an outer total timeout, then retries on transient failures that wait what the server asked
/// (<c>retry-after-ms</c> / <c>retry-after</c>) or a jittered exponential backoff with a ceiling, recording every retry
/// against the call's stage in the <see cref="UsageLedger"/>. The per-attempt timeout is a separate pipeline that
/// sits below the quota limiter, so time spent waiting for quota is not mistaken for a slow model.
/// </summary>
public static class ModelResilience
{
    /// <summary>The key under which the call's stage travels in the resilience context.</summary>
    public static readonly ResiliencePropertyKey<string> StageProperty = new(LlmCaller.StageKey);

    /// <summary>The call's attempts so far whose body did not parse, in the resilience context.</summary>
    private static readonly ResiliencePropertyKey<int> MalformedBodiesProperty = new("wildlong.malformed_bodies");

    public static ResiliencePipeline BuildRetryPipeline(ModelOptions options, UsageLedger ledger, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var builder = new ResiliencePipelineBuilder { TimeProvider = time, Name = "wildlong-model" };
        builder.AddTimeout(options.TotalTimeout);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                ShouldHandle = args => ValueTask.FromResult(TransientFailures.ShouldRetry(args.Outcome.Exception, CountMalformed(args.Context, args.Outcome.Exception), args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(ServerRequestedDelay(args.Outcome.Exception, time)),
                OnRetry = args =>
                {
                    var stage = args.Context.Properties.GetValue(StageProperty, "unknown");
                    ledger.RecordRetry(stage);
                    if (logger.IsEnabled(LogLevel.Debug))
                    {
                        logger.LogDebug("Stage {Stage}: retry {Attempt} in {Delay} ms after {Failure}", stage, args.AttemptNumber + 1,
                            (long)args.RetryDelay.TotalMilliseconds, Describe(args.Outcome.Exception));
                    }

                    return ValueTask.CompletedTask;
                },
            });
        }

        return builder.Build();
    }

    private static int CountMalformed(ResilienceContext context, Exception? exception)
    {
        var count = context.Properties.GetValue(MalformedBodiesProperty, 0);
        if (exception is MalformedModelResponseException)
        {
            context.Properties.Set(MalformedBodiesProperty, ++count);
        }

        return count;
    }

    public static ResiliencePipeline BuildAttemptPipeline(ModelOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ResiliencePipelineBuilder { TimeProvider = time, Name = "wildlong-model-attempt" }
            .AddTimeout(options.RequestTimeout)
            .Build();
    }

    /// <summary>The wait the server asked for on a 429/503 (retry-after-ms, else retry-after); null lets the backoff decide.</summary>
    internal static TimeSpan? ServerRequestedDelay(Exception? exception, TimeProvider time)
    {
        if (exception is not ClientResultException failure || failure.GetRawResponse() is not { } response)
        {
            return null;
        }

        return RetryAfter.Parse(name => response.Headers.TryGetValue(name, out var value) ? value : null, time.GetUtcNow());
    }

    internal static string StageOf(ChatOptions? options)
        => options?.AdditionalProperties?.TryGetValue(LlmCaller.StageKey, out var value) == true && value is string { Length: > 0 } stage
            ? stage
            : "unknown";

    private static string Describe(Exception? exception)
        => exception switch
        {
            null => "no exception",
            ClientResultException { Status: > 0 } c => $"HTTP {c.Status}",
            _ => exception.GetType().Name,
        };
}
