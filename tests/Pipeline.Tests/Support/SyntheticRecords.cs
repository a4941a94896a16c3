using WildLong.Core.Common;
using WildLong.Core.MetaInfo;

namespace WildLong.Pipeline.Tests.Support;

/// <summary>
/// Deterministic meta-information records shaped like real extractions: several document types of unequal
/// frequency, Zipf-like value frequencies (a few values common, a long tail), list-valued fields, some empty records.
/// </summary>
internal static class SyntheticRecords
{
    private static readonly string[] Types = ["legal_contract", "novel", "research_paper", "meeting_transcript"];

    public static List<MetaInfoRecord> Generate(int count, ulong seed, string? idPrefix = null)
    {
        var records = new List<MetaInfoRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var rng = DeterministicRandom.ForItem(seed, i);
            var type = Types[Math.Min(Types.Length - 1, (int)(Math.Pow(rng.NextDouble(), 2) * Types.Length))];
            var fields = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            if (rng.NextDouble() < 0.03)
            {
                records.Add(new MetaInfoRecord($"{idPrefix ?? "q"}{seed}-{i}", type, fields));
                continue;
            }

            fields["task"] = [Zipf(rng, "task", 20)];
            fields["user_role"] = [Zipf(rng, "role", 8)];
            if (rng.NextDouble() < 0.6)
            {
                fields["output_format"] = [Zipf(rng, "format", 6)];
            }

            var constraints = new List<string>();
            for (var c = rng.NextInt(0, 2); c > 0; c--)
            {
                constraints.Add(Zipf(rng, "constraint", 15));
            }

            if (constraints.Count > 0)
            {
                fields["constraints"] = constraints;
            }

            fields["focus"] = [Zipf(rng, type + " focus", 30)];
            records.Add(new MetaInfoRecord($"{idPrefix ?? "q"}{seed}-{i}", type, fields));
        }

        return records;
    }

    /// <summary>Splits records into <paramref name="shards"/> contiguous shards.</summary>
    public static List<List<MetaInfoRecord>> Split(List<MetaInfoRecord> records, int shards)
        => Enumerable.Range(0, shards)
            .Select(s => records.Skip(records.Count * s / shards).Take((records.Count * (s + 1) / shards) - (records.Count * s / shards)).ToList())
            .ToList();

    /// <summary>Value rank drawn log-uniformly from 1..n: frequency roughly proportional to 1/rank.</summary>
    private static string Zipf(DeterministicRandom rng, string prefix, int n)
        => $"{prefix} {(int)Math.Exp(rng.NextDouble() * Math.Log(n + 1))}";
}
