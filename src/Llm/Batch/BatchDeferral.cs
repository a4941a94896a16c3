using System.Collections.Concurrent;

namespace WildLong.Llm.Batch;

/// <summary>
/// Batch mode for the model calls of one unit of work (one activity of the durable pipeline), on its async flow: the
/// response cache answers what it knows, then what a collected batch answered (<see cref="BatchAnswers"/>); a request
/// neither knows is recorded here as a batch request line — custom_id <c>stage:cache key</c>, so identical requests
/// share one line — and the call fails with <see cref="BatchAnswerPendingException"/>. The activity then throws its
/// result away and hands the recorded lines to the orchestration, which sends them as a batch and runs the activity
/// again once the answers are in. Online calls (no deferral on the flow) are untouched. On the
/// <see cref="Final"/> pass nothing is deferred any more: a request still unanswered fails for good.
/// </summary>
public sealed class BatchDeferral
{
    private static readonly AsyncLocal<BatchDeferral?> Scoped = new();

    private readonly ConcurrentDictionary<string, (string Line, int Attempt)> lines = new(StringComparer.Ordinal);

    public BatchDeferral(string url, int pass, bool final)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        Url = url;
        Pass = pass;
        Final = final;
    }

    /// <summary>The deferral of the unit of work running on this async flow, or null (online).</summary>
    public static BatchDeferral? Current => Scoped.Value;

    /// <summary>The route written into each request line (<see cref="GlobalBatchOptions.Endpoint"/>).</summary>
    public string Url { get; }

    /// <summary>Which pass of the stage this is (1-based), for log lines and reasons.</summary>
    public int Pass { get; }

    /// <summary>True on the last pass: an unanswered request is a failure, not a new batch line.</summary>
    public bool Final { get; }

    /// <summary>
    /// The request lines recorded so far, ordered by custom_id (one per distinct request), each with its attempt: 1,
    /// or 2 for a line a collected batch failed once (so a resubmission differs from the submission it repeats).
    /// </summary>
    public IReadOnlyList<(string CustomId, string Line, int Attempt)> Requests
        => [.. lines.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => (kv.Key, kv.Value.Line, kv.Value.Attempt))];

    /// <summary>Makes <paramref name="deferral"/> the current one on this async flow until the handle is disposed.</summary>
    public static IDisposable Begin(BatchDeferral deferral)
    {
        ArgumentNullException.ThrowIfNull(deferral);
        var previous = Scoped.Value;
        Scoped.Value = deferral;
        return new Handle(previous);
    }

    /// <summary>The custom_id of a request: its stage and its response-cache key (stage first, so collection can bill per stage).</summary>
    public static string CustomIdOf(string stage, string cacheKey) => $"{stage}:{cacheKey}";

    /// <summary>Splits a custom_id made by <see cref="CustomIdOf"/> (null when it is not one).</summary>
    public static (string Stage, string CacheKey)? Parse(string customId)
    {
        var colon = customId?.LastIndexOf(':') ?? -1;
        return colon > 0 && colon < customId!.Length - 1 ? (customId[..colon], customId[(colon + 1)..]) : null;
    }

    internal void Record(string customId, string line, int attempt) => lines.TryAdd(customId, (line, attempt));

    private sealed class Handle(BatchDeferral? previous) : IDisposable
    {
        public void Dispose() => Scoped.Value = previous;
    }
}
