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

    private readonly Dictionary<(string Type, string Task), List<(ulong Rank, string Excerpt)>> byTypeAndTask = [];
    private readonly Dictionary<string, List<(ulong Rank, string Excerpt)>> byTask = new(StringComparer.Ordinal);

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
        var index = new RequestExampleIndex(taskField, perTask, maxChars);
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

            var rank = StableHash.Hash64(record.QueryId);
            foreach (var task in tasks.Distinct(StringComparer.Ordinal))
            {
                Keep(index.byTypeAndTask, (record.DocumentType, task), rank, excerpt, perTask);
                Keep(index.byTask, task, rank, excerpt, perTask);
            }
        }

        return index;
    }

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

    private static void Keep<TKey>(Dictionary<TKey, List<(ulong Rank, string Excerpt)>> map, TKey key, ulong rank, string excerpt, int perTask)
        where TKey : notnull
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        if (list.Any(e => e.Excerpt == excerpt))
        {
            return;
        }

        list.Add((rank, excerpt));
        list.Sort((a, b) => a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank) : string.CompareOrdinal(a.Excerpt, b.Excerpt));
        if (list.Count > perTask)
        {
            list.RemoveAt(list.Count - 1);
        }
    }
}
