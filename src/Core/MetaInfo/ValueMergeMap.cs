using System.Text.Json;
using WildLong.Core.Common;

namespace WildLong.Core.MetaInfo;

/// <summary>
/// The result of near-duplicate merging over the whole run: per field, which values fold into which canonical
/// value. It is computed once from global counts and then applied everywhere (graphs, records) through
/// <see cref="Canonical"/>, so every shard agrees on node names. Serializable to JSON so a run can persist and
/// reuse it. Only merged values are stored; every other value is its own canonical form.
/// </summary>
public sealed class ValueMergeMap
{
    private readonly Dictionary<string, Dictionary<string, string>> fields;

    public ValueMergeMap(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> merges)
    {
        ArgumentNullException.ThrowIfNull(merges);
        fields = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (field, map) in merges)
        {
            var entries = map.Where(kv => kv.Key != kv.Value).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
            if (entries.Count > 0)
            {
                fields[field] = entries;
            }
        }
    }

    public static ValueMergeMap Empty { get; } = new(new Dictionary<string, IReadOnlyDictionary<string, string>>());

    /// <summary>Field → (merged value → canonical value).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Merges
        => fields.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, string>)kv.Value, StringComparer.Ordinal);

    /// <summary>How many values were merged into another one, over all fields.</summary>
    public int MergedValueCount => fields.Values.Sum(m => m.Count);

    /// <summary>The canonical value for <paramref name="value"/> in <paramref name="field"/> (the value itself when not merged).</summary>
    public string Canonical(string field, string value)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(value);
        return fields.TryGetValue(field, out var map) && map.TryGetValue(value, out var canonical) ? canonical : value;
    }

    /// <summary>
    /// Maps every value of a record to its canonical value, dropping duplicates that merging creates; details move
    /// with their values (joined with "; " when two values become one).
    /// </summary>
    public MetaInfoRecord Apply(MetaInfoRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var mapped = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (field, values) in record.Fields)
        {
            mapped[field] = [.. values.Select(v => Canonical(field, v)).Distinct(StringComparer.Ordinal)];
        }

        if (record.Details is null)
        {
            return record with { Fields = mapped };
        }

        var details = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (field, perValue) in record.Details)
        {
            var moved = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (value, detail) in perValue.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var canonical = Canonical(field, value);
                moved[canonical] = moved.TryGetValue(canonical, out var existing) && !existing.Contains(detail, StringComparison.OrdinalIgnoreCase)
                    ? $"{existing}; {detail}"
                    : moved.GetValueOrDefault(canonical) ?? detail;
            }

            details[field] = moved;
        }

        return record with { Fields = mapped, Details = details };
    }

    /// <summary>
    /// The largest merges per field, for the manifest: each canonical value with the values folded into it and how
    /// many occurrences those brought (from <paramref name="countsByField"/>, the counts the map was built from),
    /// largest first, at most <paramref name="perField"/> per field.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ValueMerge>> TopMerges(IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> countsByField, int perField)
    {
        ArgumentNullException.ThrowIfNull(countsByField);
        ArgumentOutOfRangeException.ThrowIfNegative(perField);
        var result = new SortedDictionary<string, IReadOnlyList<ValueMerge>>(StringComparer.Ordinal);
        foreach (var (field, map) in fields)
        {
            var counts = countsByField.GetValueOrDefault(field);
            var merges = map
                .GroupBy(kv => kv.Value, StringComparer.Ordinal)
                .Select(g =>
                {
                    var from = g.Select(kv => (Value: kv.Key, Count: counts?.GetValueOrDefault(kv.Key) ?? 0))
                        .OrderByDescending(x => x.Count).ThenBy(x => x.Value, StringComparer.Ordinal).ToList();
                    return new ValueMerge(g.Key, from.Sum(x => x.Count), from.Count, [.. from.Take(5).Select(x => x.Value)]);
                })
                .OrderByDescending(m => m.Occurrences).ThenByDescending(m => m.MergedValues).ThenBy(m => m.Into, StringComparer.Ordinal)
                .Take(perField)
                .ToList();
            if (merges.Count > 0)
            {
                result[field] = merges;
            }
        }

        return result;
    }

    /// <summary>JSON with fields and values in ordinal order, so equal maps serialize identically.</summary>
    public string ToJson()
    {
        var file = new MapFile
        {
            Merges = new SortedDictionary<string, SortedDictionary<string, string>>(
                fields.ToDictionary(kv => kv.Key, kv => new SortedDictionary<string, string>(kv.Value, StringComparer.Ordinal), StringComparer.Ordinal),
                StringComparer.Ordinal),
        };
        return JsonSerializer.Serialize(file, WildLongJson.Options);
    }

    public static ValueMergeMap FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        MapFile? file;
        try
        {
            file = JsonSerializer.Deserialize<MapFile>(json, WildLongJson.Options);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"invalid value merge map JSON: {ex.Message}", ex);
        }

        var merges = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var (field, map) in file?.Merges ?? [])
        {
            merges[field] = map ?? [];
        }

        return new ValueMergeMap(merges);
    }

    private sealed class MapFile
    {
        public SortedDictionary<string, SortedDictionary<string, string>>? Merges { get; set; }
    }
}
