using WildLong.Core.Common;
using WildLong.Core.MetaInfo;

namespace WildLong.Core.Tests.Graphs;

/// <summary>
/// Records shaped like extracted requests: a task list field (one to three values), type-dependent fields and
/// type-independent ones (format, tone), each present with its own probability and with values that recur, so
/// graphs are connected enough for paths to reach any length the records have.
/// </summary>
internal static class ShapedRecords
{
    public const string TaskField = "task_request";

    /// <summary>Field → probability that a record holds it.</summary>
    private static readonly (string Field, double Presence, int Values)[] Fields =
    [
        ("user_intent", 0.7, 8),
        ("domain", 0.6, 6),
        ("knowledge_required", 0.5, 10),
        ("output_format", 0.35, 5),
        ("tone_style", 0.2, 4),
        ("constraints", 0.15, 12),
    ];

    /// <param name="count">Records.</param>
    /// <param name="type">Their document type.</param>
    /// <param name="salt">Varies the records between calls (and the values' prefix when <paramref name="prefix"/> is set).</param>
    /// <param name="prefix">Prefix of type-dependent values, so two types' values differ.</param>
    /// <param name="secondTaskShare">Share of records with two or three task values.</param>
    public static List<MetaInfoRecord> Make(int count, string type, ulong salt = 1, string prefix = "", double secondTaskShare = 0.4)
    {
        var records = new List<MetaInfoRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var rng = DeterministicRandom.ForItem(salt, i);
            var fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            var tasks = rng.NextDouble() < secondTaskShare ? (rng.NextDouble() < 0.5 ? 2 : 3) : 1;
            fields[TaskField] = Enumerable.Range(0, tasks).Select(_ => $"{prefix}task{Skewed(rng, 12)}").Distinct().ToList();
            foreach (var (field, presence, values) in Fields)
            {
                if (rng.NextDouble() < presence)
                {
                    var isTypeIndependent = field is "output_format" or "tone_style";
                    fields[field] = [$"{(isTypeIndependent ? string.Empty : prefix)}{field}{Skewed(rng, values)}"];
                }
            }

            records.Add(new MetaInfoRecord($"{type}-{salt}-{i}", type, fields));
        }

        return records;
    }

    private static int Skewed(DeterministicRandom rng, int values)
    {
        var u = rng.NextDouble();
        return (int)(u * u * values);
    }
}
