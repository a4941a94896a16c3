using WildLong.Core.MetaInfo;

namespace WildLong.Core.Tests.Graphs;

/// <summary>Small helpers to write meta-information records inline in graph tests.</summary>
internal static class GraphRecords
{
    private static int next;

    public static MetaInfoRecord Record(string documentType, params (string Field, string[] Values)[] fields)
        => new(
            $"r{Interlocked.Increment(ref next)}",
            documentType,
            fields.ToDictionary(f => f.Field, f => (IReadOnlyList<string>)f.Values, StringComparer.Ordinal));

    public static (string, string[]) F(string field, params string[] values) => (field, values);

    /// <summary>
    /// Decodes bytes into records: each byte array is one record; its first byte picks one of two document types,
    /// each later byte one (field, value) among 4 fields × 6 values. Lets FsCheck generate record lists from
    /// primitive arrays (empty arrays become records without fields).
    /// </summary>
    public static List<MetaInfoRecord> Decode(byte[][] encoded)
    {
        var records = new List<MetaInfoRecord>();
        foreach (var bytes in encoded ?? [])
        {
            if (bytes is null)
            {
                continue;
            }

            var type = bytes.Length > 0 && bytes[0] % 2 == 1 ? "novel" : "legal_contract";
            var fields = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var b in bytes.Skip(1))
            {
                var field = "f" + (b % 4);
                if (!fields.TryGetValue(field, out var values))
                {
                    fields[field] = values = [];
                }

                values.Add("v" + (b / 4 % 6));
            }

            records.Add(new MetaInfoRecord(
                $"g{records.Count}",
                type,
                fields.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal)));
        }

        return records;
    }

    /// <summary>A larger deterministic record list with skewed value frequencies (for sampling and parallel-build tests).</summary>
    public static List<MetaInfoRecord> Synthetic(int count, string[]? documentTypes = null, int fields = 6)
    {
        var records = new List<MetaInfoRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var rng = Core.Common.DeterministicRandom.ForItem(99, i);
            var map = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            for (var f = 0; f < fields; f++)
            {
                if (rng.NextDouble() < 0.8)
                {
                    // Skewed: squaring a uniform draw favours low value numbers.
                    var u = rng.NextDouble();
                    map["field" + f] = [$"value{(int)(u * u * (10 + (f * 10)))}"];
                }
            }

            var types = documentTypes ?? ["report"];
            records.Add(new MetaInfoRecord($"s{i}", types[i % types.Length], map));
        }

        return records;
    }
}
