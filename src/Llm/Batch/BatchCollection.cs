namespace WildLong.Llm.Batch;

/// <summary>
/// The outcome of a batch for every expected <c>custom_id</c>, exactly once each: answered, or failed with a reason
/// (including ids the service never mentioned). Merging the collection of a resubmission replaces failures with
/// the new outcomes, so after the last round every id is still accounted for exactly once.
/// </summary>
public sealed class BatchCollection
{
    public BatchCollection(IReadOnlyDictionary<string, BatchLineResult> results, IReadOnlyList<string> problems)
    {
        Results = results ?? throw new ArgumentNullException(nameof(results));
        Problems = problems ?? throw new ArgumentNullException(nameof(problems));
    }

    /// <summary>One result per expected custom_id.</summary>
    public IReadOnlyDictionary<string, BatchLineResult> Results { get; }

    /// <summary>Output or error lines that could not be used (unreadable, unknown custom_id), for the run log.</summary>
    public IReadOnlyList<string> Problems { get; }

    public IReadOnlyList<BatchLineResult> Succeeded => [.. Results.Values.Where(r => r.Succeeded).OrderBy(r => r.CustomId, StringComparer.Ordinal)];

    public IReadOnlyList<BatchLineResult> Failed => [.. Results.Values.Where(r => !r.Succeeded).OrderBy(r => r.CustomId, StringComparer.Ordinal)];

    /// <summary>Failures worth sending again (server errors, expiry, missing lines), in custom_id order.</summary>
    public IReadOnlyList<BatchLineResult> Retryable => [.. Failed.Where(r => r.Retryable)];

    /// <summary>One collection over the batches of several input files of one round (their ids are disjoint).</summary>
    public static BatchCollection Combine(IEnumerable<BatchCollection> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var results = new Dictionary<string, BatchLineResult>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var part in parts)
        {
            problems.AddRange(part.Problems);
            foreach (var (id, result) in part.Results)
            {
                if (!results.TryAdd(id, result))
                {
                    throw new ArgumentException($"custom_id '{id}' appears in more than one part; the parts of a round must be disjoint.", nameof(parts));
                }
            }
        }

        return new BatchCollection(results, problems);
    }

    /// <summary>
    /// This collection with the outcomes of a resubmission applied: a failure is replaced by the resubmission's
    /// result for that id; successes are kept. Ids the resubmission did not expect are reported as problems.
    /// </summary>
    public BatchCollection Merge(BatchCollection resubmission)
    {
        ArgumentNullException.ThrowIfNull(resubmission);
        var merged = new Dictionary<string, BatchLineResult>(Results, StringComparer.Ordinal);
        var problems = new List<string>(Problems);
        problems.AddRange(resubmission.Problems);
        foreach (var (id, result) in resubmission.Results)
        {
            if (!merged.TryGetValue(id, out var earlier))
            {
                problems.Add($"resubmission returned custom_id '{id}', which the original batch did not expect");
            }
            else if (!earlier.Succeeded)
            {
                merged[id] = result;
            }
        }

        return new BatchCollection(merged, problems);
    }
}
