using WildLong.Core.Common;
using WildLong.Core.Graphs;
using WildLong.Core.MetaInfo;

namespace WildLong.Core.Instructions;

/// <summary>
/// Real users' own words per (document type, field, value), taken from the queries the graphs were built from, so
/// the instruction writer can phrase a path as users really do: for the task field, excerpts of real requests with
/// that task (style examples); for fields with a vocabulary, the details users gave for a canonical value ("edit the
/// language of my abstract" for "grammar correction"). Bounded: at most <see cref="PerTask"/> excerpts per task value
/// and <see cref="DetailsPerValue"/> details per other value, each at most <see cref="MaxChars"/> characters, chosen
/// by a hash of the query id (independent of input order and of how the queries were sharded).
/// </summary>
public sealed class RequestExampleIndex
{
    public const int DefaultPerTask = 2;
    public const int DefaultDetailsPerValue = 3;
    public const int DefaultMaxChars = 240;

    /// <summary>Most steps of one path shown with a user's words (the writer uses one to three attributes).</summary>
    public const int MaxDetailsPerPath = 4;

    private readonly Dictionary<(RequestExampleKind Kind, string Type, string Field, string Value), List<Kept>> byTypeAndValue = [];
    private readonly Dictionary<(RequestExampleKind Kind, string Field, string Value), List<Kept>> byValue = [];

    private RequestExampleIndex(string taskField, int perTask, int detailsPerValue, int maxChars)
    {
        TaskField = taskField;
        PerTask = perTask;
        DetailsPerValue = detailsPerValue;
        MaxChars = maxChars;
    }

    /// <summary>An index with no entries: paths get no examples or details and the prompt says so.</summary>
    public static RequestExampleIndex Empty { get; } = new("task_request", DefaultPerTask, DefaultDetailsPerValue, DefaultMaxChars);

    /// <summary>The meta-information field whose values are the task (the schema's <c>task_request</c>).</summary>
    public string TaskField { get; }

    /// <summary>Request excerpts kept per task value (and shown per path).</summary>
    public int PerTask { get; }

    /// <summary>Details kept per value of the other fields; a path shows one of them per step.</summary>
    public int DetailsPerValue { get; }

    public int MaxChars { get; }

    /// <summary>
    /// Builds the index from records (after value merging and type folding, so keys match the graph's nodes) and the
    /// text of each record's query; a record whose query text is missing still gives its details.
    /// </summary>
    public static RequestExampleIndex Build(
        IEnumerable<MetaInfoRecord> records,
        Func<string, string?> queryText,
        string taskField = "task_request",
        int perTask = DefaultPerTask,
        int maxChars = DefaultMaxChars)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(queryText);
        ArgumentException.ThrowIfNullOrEmpty(taskField);
        ArgumentOutOfRangeException.ThrowIfLessThan(perTask, 1);
        return FromEntries(Extract(records, queryText, taskField, maxChars), taskField, perTask, maxChars);
    }

    /// <summary>
    /// The entries of <paramref name="records"/>: one request excerpt per task value and one entry per detail. The
    /// plain, serializable form a distributed run writes per extraction slice, maps (types folded, values merged) and
    /// combines with <see cref="FromEntries"/>.
    /// </summary>
    public static IEnumerable<RequestExample> Extract(IEnumerable<MetaInfoRecord> records, Func<string, string?> queryText, string taskField = "task_request", int maxChars = DefaultMaxChars)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(queryText);
        foreach (var record in records)
        {
            if (record.Fields.TryGetValue(taskField, out var tasks) && tasks.Count > 0 && RequestExcerpt.From(queryText(record.QueryId), maxChars) is { } excerpt)
            {
                foreach (var task in tasks.Distinct(StringComparer.Ordinal))
                {
                    yield return new RequestExample(RequestExampleKind.Excerpt, record.DocumentType, taskField, task, record.QueryId, excerpt);
                }
            }

            foreach (var (field, perValue) in record.Details ?? new Dictionary<string, IReadOnlyDictionary<string, string>>())
            {
                // Details of values merged into one are joined with "; " (see ValueMergeMap.Apply): split, so an
                // entry is always one user's phrase, whether the values were merged before or after extraction.
                foreach (var (value, joined) in perValue.OrderBy(d => d.Key, StringComparer.Ordinal))
                {
                    foreach (var detail in joined.Split("; ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal))
                    {
                        if (Shorten(detail, maxChars) is { } text)
                        {
                            yield return new RequestExample(RequestExampleKind.Detail, record.DocumentType, field, value, record.QueryId, text);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// An index over entries from any number of shards. Selection keeps, per key, the entries with the lowest hash of
    /// their query id, so combining shards in any order or grouping gives the index of all.
    /// </summary>
    public static RequestExampleIndex FromEntries(
        IEnumerable<RequestExample> entries,
        string taskField = "task_request",
        int perTask = DefaultPerTask,
        int maxChars = DefaultMaxChars,
        int detailsPerValue = DefaultDetailsPerValue)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentException.ThrowIfNullOrEmpty(taskField);
        ArgumentOutOfRangeException.ThrowIfLessThan(perTask, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(detailsPerValue, 1);
        var index = new RequestExampleIndex(taskField, perTask, detailsPerValue, maxChars);
        foreach (var entry in entries)
        {
            if (entry.Text is null || entry.Field is null || entry.Value is null || entry.DocumentType is null)
            {
                // An entry written by an older version (task and excerpt only): skipped, never fatal.
                continue;
            }

            var text = entry.Text.Length <= maxChars ? entry.Text
                : entry.Kind == RequestExampleKind.Excerpt ? RequestExcerpt.From(entry.Text, maxChars) : Shorten(entry.Text, maxChars);
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            var kept = new Kept(StableHash.Hash64(entry.QueryId), entry.QueryId, text);
            var limit = entry.Kind == RequestExampleKind.Excerpt ? perTask : detailsPerValue;
            Keep(index.byTypeAndValue, (entry.Kind, entry.DocumentType, entry.Field, entry.Value), kept, limit);
            Keep(index.byValue, (entry.Kind, entry.Field, entry.Value), kept, limit);
        }

        return index;
    }

    /// <summary>The kept entries (bounded per type, field and value), sorted; small enough to store beside a graph snapshot.</summary>
    public IReadOnlyList<RequestExample> Entries => [.. byTypeAndValue
        .SelectMany(kv => kv.Value.Select(e => new RequestExample(kv.Key.Kind, kv.Key.Type, kv.Key.Field, kv.Key.Value, e.QueryId, e.Text)))
        .OrderBy(e => e.Kind).ThenBy(e => e.DocumentType, StringComparer.Ordinal).ThenBy(e => e.Field, StringComparer.Ordinal)
        .ThenBy(e => e.Value, StringComparer.Ordinal).ThenBy(e => e.QueryId, StringComparer.Ordinal)];

    /// <summary>Number of (kind, type, field, value) keys with at least one entry.</summary>
    public int Count => byTypeAndValue.Count;

    /// <summary>
    /// Up to <see cref="PerTask"/> distinct excerpts for the task values of a path: those of the same document type
    /// first, then of other types with the same task value.
    /// </summary>
    public IReadOnlyList<string> For(string documentType, IEnumerable<string> taskValues)
    {
        ArgumentNullException.ThrowIfNull(taskValues);
        var tasks = taskValues.ToList();
        var sameType = tasks.SelectMany(t => byTypeAndValue.GetValueOrDefault((RequestExampleKind.Excerpt, documentType, TaskField, t)) ?? []);
        var anyType = tasks.SelectMany(t => byValue.GetValueOrDefault((RequestExampleKind.Excerpt, TaskField, t)) ?? []);
        return [.. sameType.Concat(anyType).Select(e => e.Text).Distinct(StringComparer.Ordinal).Take(PerTask)];
    }

    /// <summary>
    /// Real users' words for up to <see cref="MaxDetailsPerPath"/> steps of <paramref name="path"/> — its task values
    /// first, then other steps in an order set by the path — one detail per step, from the same document type when
    /// there is one, else from another type with the same value. Which steps and which of a value's kept details a
    /// path gets follow from the path's key and index, so different paths through one value show different users'
    /// words, and the writer sees a few concrete phrases, not a form.
    /// </summary>
    public IReadOnlyList<StepDetail> DetailsFor(InstructionPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var salt = $"{path.Key}#{path.Index}";
        var details = new List<(bool Task, ulong Order, StepDetail Detail)>();
        foreach (var step in path.Steps)
        {
            var candidates = byTypeAndValue.GetValueOrDefault((RequestExampleKind.Detail, path.DocumentType, step.Field, step.Value)) is { Count: > 0 } same
                ? same
                : byValue.GetValueOrDefault((RequestExampleKind.Detail, step.Field, step.Value)) ?? [];
            if (candidates.Count == 0)
            {
                continue;
            }

            var hash = StableHash.Hash64($"{salt}#{step.Field}={step.Value}");
            details.Add((step.Field == TaskField, hash, new StepDetail(step.Field, step.Value, candidates[(int)(hash % (ulong)candidates.Count)].Text)));
        }

        return [.. details.OrderByDescending(d => d.Task).ThenBy(d => d.Order).Take(MaxDetailsPerPath).Select(d => d.Detail)];
    }

    /// <summary>The path with its examples and details attached (unchanged when there are none).</summary>
    public InstructionPath Attach(InstructionPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var examples = For(path.DocumentType, path.Steps.Where(s => s.Field == TaskField).Select(s => s.Value));
        var details = DetailsFor(path);
        return examples.Count == 0 && details.Count == 0 ? path : path with
        {
            Examples = examples.Count == 0 ? path.Examples : examples,
            Details = details.Count == 0 ? path.Details : details,
        };
    }

    private static string? Shorten(string? text, int maxChars)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var collapsed = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return collapsed.Length <= maxChars ? collapsed : collapsed[..maxChars].TrimEnd();
    }

    private static void Keep<TKey>(Dictionary<TKey, List<Kept>> map, TKey key, Kept entry, int limit)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        var same = list.FindIndex(e => e.Text == entry.Text);
        if (same >= 0)
        {
            // One text, several queries: keep the lowest-ranked query, so the outcome does not depend on order.
            if (entry.CompareTo(list[same]) >= 0)
            {
                return;
            }

            list.RemoveAt(same);
        }

        list.Add(entry);
        list.Sort((a, b) => a.CompareTo(b));
        if (list.Count > limit)
        {
            list.RemoveAt(list.Count - 1);
        }
    }

    private readonly record struct Kept(ulong Rank, string QueryId, string Text)
    {
        public int CompareTo(Kept other) => Rank != other.Rank ? Rank.CompareTo(other.Rank) : string.CompareOrdinal(QueryId, other.QueryId);
    }
}
