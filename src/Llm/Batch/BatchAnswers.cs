using WildLong.Core.Common;
using WildLong.Llm.Caching;

namespace WildLong.Llm.Batch;

/// <summary>
/// What collected batches said about each request, kept in the response-cache store under keys derived from the
/// request's cache key (so it is shared by every worker and outlives the process): the answer as returned — also an
/// invalid one, because an online call would have received it too and the stage must see it to send its repair turn
/// —, a first retryable failure (the line is sent once more), or a final failure with its reason. The response cache
/// proper still keeps only complete answers; a served batch answer enters it through
/// <see cref="ResponseCachingChatClient"/>. Entries are first-writer-wins, so a collection run twice changes nothing.
/// </summary>
public static class BatchAnswers
{
    /// <summary>Finish reason of an entry that records a failure (its text is the reason).</summary>
    public const string FailedFinishReason = "wildlong_batch_failed";

    /// <summary>Where the answer to the request with cache key <paramref name="cacheKey"/> is kept.</summary>
    public static string AnswerKey(string cacheKey) => StableHash.ContentAddress("wildlong-batch-answer/1", cacheKey);

    /// <summary>Where the first retryable failure of the request is kept.</summary>
    public static string FirstFailureKey(string cacheKey) => StableHash.ContentAddress("wildlong-batch-failure/1", cacheKey, "1");

    /// <summary>Where the final failure of the request is kept.</summary>
    public static string FinalFailureKey(string cacheKey) => StableHash.ContentAddress("wildlong-batch-failure/1", cacheKey, "final");

    /// <summary>What is known about a request: its answer, a final failure, a first failure (send again), or nothing.</summary>
    public static async Task<BatchAnswer> LookupAsync(IResponseCacheStore store, string cacheKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (await store.GetAsync(AnswerKey(cacheKey), cancellationToken) is { } answer)
        {
            return new BatchAnswer(answer, null, false);
        }

        if (await store.GetAsync(FinalFailureKey(cacheKey), cancellationToken) is { } final)
        {
            return new BatchAnswer(null, final.Text, false);
        }

        var first = await store.GetAsync(FirstFailureKey(cacheKey), cancellationToken);
        return new BatchAnswer(null, null, first is not null);
    }

    /// <summary>
    /// Records one collected line of submission <paramref name="submission"/>: an answer; a non-retryable failure as
    /// final; a retryable one as first failure, or as final when an earlier submission already failed it once.
    /// Returns true when the line was answered.
    /// </summary>
    public static async Task<bool> RecordAsync(IResponseCacheStore store, string identity, string cacheKey, BatchLineResult result, string submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Response is { } response)
        {
            await store.PutAsync(CachedChatResponse.From(AnswerKey(cacheKey), identity, response), cancellationToken);
            return true;
        }

        var reason = $"batch request failed: {result.FailureReason}";
        if (result.Retryable)
        {
            var first = await store.GetAsync(FirstFailureKey(cacheKey), cancellationToken);
            if (first is null || string.Equals(first.ResponseId, submission, StringComparison.Ordinal))
            {
                await store.PutAsync(Failure(FirstFailureKey(cacheKey), identity, reason, submission), cancellationToken);
                return false;
            }

            reason += " (after one resubmission)";
        }

        await store.PutAsync(Failure(FinalFailureKey(cacheKey), identity, reason, submission), cancellationToken);
        return false;
    }

    private static CachedChatResponse Failure(string key, string identity, string reason, string submission) => new()
    {
        Key = key,
        Identity = identity,
        Text = reason,
        FinishReason = FailedFinishReason,
        ResponseId = submission,
    };
}
