using WildLong.Core.Common;
using WildLong.Core.Graphs;
using WildLong.Core.MetaInfo;

namespace WildLong.Core.Instructions;

/// <summary>
/// A bounded set of real request excerpts per (document type, task value), taken from the queries the graphs were
/// built from, so the instruction writer can imitate how users really phrase a task. At most
/// <see cref="PerTask"/> excerpts of at most <see cref="MaxChars"/> characters are kept per task value, chosen by a
/// hash of the query id (independent of input order), so the examples a path carries stay small.
/// </summary>
public sealed class RequestExampleIndex
{
    public const int DefaultPerTask = 2;
    public const int DefaultMaxChars = 240;

    private readonly Dictionary<(string Type, string Task), List<(ulong Rank, string QueryId, string Excerpt)>> byTypeAndTask = [];
    private readonly Dictionary<string, List<(ulong Rank, string QueryId, string Excerpt)>> byTask = new(StringComparer.Ordinal);

    private RequestExampleIndex(string taskField, int perTask, int maxChars)
    {
        TaskField = taskField;
        PerTask = perTask;
        MaxChars = maxChars;
    }

    /// <summary>An index with no examples: paths get none and the prompt says so.</summary>
    public static RequestExampleIndex Empty { get; } = new("task_request", DefaultPerTask, DefaultMaxChars);

    /// <summary>The meta-information field whose values are the task (the schema's <c>task_request</c>).</summary>
    public string TaskField { get; }

    public int PerTask { get; }

    public int MaxChars { get; }

    /// <summary>
    /// Builds the index from records (after value merging and type folding, so keys match the graph's nodes) and the
    /// text of each record's query; records whose query text is missing are skipped.
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
    /// The (type, task, query, excerpt) entries of <paramref name="records"/>, one per task value: the plain,
    /// serializable form a distributed run can write per shard, map (fold types, merge values) and combine with
    /// <see cref="FromEntries"/>.
    /// </summary>
    public static IEnumerable<RequestExample> Extract(IEnumerable<MetaInfoRecord> records, Func<string, string?> queryText, string taskField = "task_request", int maxChars = DefaultMaxChars)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(queryText);
        foreach (var record in records)
        {
            if (!record.Fields.TryGetValue(taskField, out var tasks) || tasks.Count == 0)
            {
                continue;
            }

            var excerpt = RequestExcerpt.From(queryText(record.QueryId), maxChars);
            if (excerpt is null)
            {
                continue;
            }

            foreach (var task in tasks.Distinct(StringComparer.Ordinal))
            {
                yield return new RequestExample(record.DocumentType, task, record.QueryId, excerpt);
            }
        }
    }

    /// <summary>
    /// An index over entries from any number of shards. Selection keeps the <paramref name="perTask"/> entries with
    /// the lowest hash of their query id, so combining shards in any order or grouping gives the index of all.
    /// </summary>
    public static RequestExampleIndex FromEntries(IEnumerable<RequestExample> entries, string taskField = "task_request", int perTask = DefaultPerTask, int maxChars = DefaultMaxChars)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentException.ThrowIfNullOrEmpty(taskField);
        ArgumentOutOfRangeException.ThrowIfLessThan(perTask, 1);
        var index = new RequestExampleIndex(taskField, perTask, maxChars);
        foreach (var entry in entries)
        {
            var rank = StableHash.Hash64(entry.QueryId);
            var excerpt = entry.Excerpt.Length <= maxChars ? entry.Excerpt : RequestExcerpt.From(entry.Excerpt, maxChars);
            if (string.IsNullOrEmpty(excerpt))
            {
                continue;
            }

            Keep(index.byTypeAndTask, (entry.DocumentType, entry.Task), rank, entry.QueryId, excerpt, perTask);
            Keep(index.byTask, entry.Task, rank, entry.QueryId, excerpt, perTask);
        }

        return index;
    }

    /// <summary>The kept entries (at most <see cref="PerTask"/> per type and task), sorted; small enough to store beside a graph snapshot.</summary>
    public IReadOnlyList<RequestExample> Entries => [.. byTypeAndTask
        .SelectMany(kv => kv.Value.Select(e => new RequestExample(kv.Key.Type, kv.Key.Task, e.QueryId, e.Excerpt)))
        .OrderBy(e => e.DocumentType, StringComparer.Ordinal).ThenBy(e => e.Task, StringComparer.Ordinal).ThenBy(e => e.QueryId, StringComparer.Ordinal)];

    /// <summary>Number of (type, task) keys with at least one example.</summary>
    public int Count => byTypeAndTask.Count;

    /// <summary>
    /// Up to <see cref="PerTask"/> distinct excerpts for the task values of a path: those of the same document type
    /// first, then of other types with the same task value.
    /// </summary>
    public IReadOnlyList<string> For(string documentType, IEnumerable<string> taskValues)
    {
        ArgumentNullException.ThrowIfNull(taskValues);
        var tasks = taskValues.ToList();
        var sameType = tasks.SelectMany(t => byTypeAndTask.GetValueOrDefault((documentType, t)) ?? []);
        var anyType = tasks.SelectMany(t => byTask.GetValueOrDefault(t) ?? []);
        return [.. sameType.Concat(anyType).Select(e => e.Excerpt).Distinct(StringComparer.Ordinal).Take(PerTask)];
    }

    /// <summary>The path with its examples attached (unchanged when there are none).</summary>
    public InstructionPath Attach(InstructionPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var examples = For(path.DocumentType, path.Steps.Where(s => s.Field == TaskField).Select(s => s.Value));
        return examples.Count == 0 ? path : path with { Examples = examples };
    }

    private static void Keep<TKey>(Dictionary<TKey, List<(ulong Rank, string QueryId, string Excerpt)>> map, TKey key, ulong rank, string queryId, string excerpt, int perTask)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        var same = list.FindIndex(e => e.Excerpt == excerpt);
        if (same >= 0)
        {
            // One excerpt, several queries: keep the lowest-ranked query, so the outcome does not depend on order.
            if (Compare((rank, queryId), (list[same].Rank, list[same].QueryId)) >= 0)
            {
                return;
            }

            list.RemoveAt(same);
        }

        list.Add((rank, queryId, excerpt));
        list.Sort((a, b) => Compare((a.Rank, a.QueryId), (b.Rank, b.QueryId)));
        if (list.Count > perTask)
        {
            list.RemoveAt(list.Count - 1);
        }
    }

    private static int Compare((ulong Rank, string QueryId) a, (ulong Rank, string QueryId) b)
        => a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank) : string.CompareOrdinal(a.QueryId, b.QueryId);
}
