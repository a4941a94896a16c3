using WildLong.Core.Common;

namespace WildLong.Core.Graphs;

/// <summary>
/// The draws that shape a path after real records (<see cref="GraphShape"/>): its length, how many values a field
/// gives, and the order fields are visited in. Without a shape it reproduces unshaped paths: no length limit, one
/// value per field, a uniform field order. Immutable; every draw uses the caller's per-path generator.
/// </summary>
internal sealed class PathShape
{
    /// <summary>Weight of a field no counted record held (it has values in a borrowed or pooled graph only).</summary>
    private const double MinPresence = 1e-3;

    private readonly int[] lengths = [];
    private readonly double[] lengthCumulative = [];
    private readonly Dictionary<string, (int[] Values, double[] Cumulative)> valuesByField = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> presence = new(StringComparer.Ordinal);

    public PathShape(GraphShape? shape)
    {
        if (shape is null)
        {
            return;
        }

        var usable = shape.Lengths.Where(kv => kv.Key > 0).ToList();
        if (usable.Count == 0)
        {
            return;
        }

        IsUnshaped = false;
        (lengths, lengthCumulative) = Cumulative(usable);
        foreach (var field in shape.Fields)
        {
            valuesByField[field] = Cumulative(shape.ValuesOf(field));
            presence[field] = shape.Presence(field);
        }
    }

    /// <summary>True when there is nothing to follow (no shape, or no record with a graph value).</summary>
    public bool IsUnshaped { get; } = true;

    /// <summary>The number of values the path should hold (int.MaxValue when unshaped).</summary>
    public int DrawLength(DeterministicRandom rng)
        => IsUnshaped ? int.MaxValue : lengths[Pick(lengthCumulative, rng)];

    /// <summary>How many values <paramref name="field"/> should give (at least 1; 1 when unshaped or unknown).</summary>
    public int DrawValues(string field, DeterministicRandom rng)
        => !IsUnshaped && valuesByField.TryGetValue(field, out var histogram) && histogram.Values.Length > 0
            ? histogram.Values[Pick(histogram.Cumulative, rng)]
            : 1;

    /// <summary>The most values of <paramref name="field"/> any counted record held (1 when unshaped or unknown).</summary>
    public int MaxValues(string field)
        => !IsUnshaped && valuesByField.TryGetValue(field, out var histogram) && histogram.Values.Length > 0 ? histogram.Values[^1] : 1;

    /// <summary>
    /// Reorders <paramref name="fields"/> for visiting: uniformly when unshaped, else by an exponential race with
    /// rates equal to each field's presence (Efraimidis–Spirakis weighted sampling without replacement).
    /// </summary>
    public void Order(List<string> fields, DeterministicRandom rng)
    {
        if (IsUnshaped)
        {
            rng.Shuffle(fields);
            return;
        }

        // Sort by name first so the draws do not depend on the order the caller listed the fields in.
        fields.Sort(StringComparer.Ordinal);
        Span<double> keys = fields.Count <= 128 ? stackalloc double[fields.Count] : new double[fields.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            var rate = Math.Max(MinPresence, presence.GetValueOrDefault(fields[i]));
            keys[i] = -Math.Log(1 - rng.NextDouble()) / rate;
        }

        // Insertion sort by key, ties by name (a total order: names are distinct); a path has a few dozen fields at most.
        for (var i = 1; i < keys.Length; i++)
        {
            var (key, name) = (keys[i], fields[i]);
            var j = i;
            while (j > 0 && (keys[j - 1] > key || (keys[j - 1] == key && string.CompareOrdinal(fields[j - 1], name) > 0)))
            {
                keys[j] = keys[j - 1];
                fields[j] = fields[j - 1];
                j--;
            }

            keys[j] = key;
            fields[j] = name;
        }
    }

    private static (int[] Values, double[] Cumulative) Cumulative(IReadOnlyList<KeyValuePair<int, long>> histogram)
    {
        var values = new int[histogram.Count];
        var cumulative = new double[histogram.Count];
        double running = 0;
        for (var i = 0; i < histogram.Count; i++)
        {
            values[i] = histogram[i].Key;
            running += histogram[i].Value;
            cumulative[i] = running;
        }

        return (values, cumulative);
    }

    private static int Pick(double[] cumulative, DeterministicRandom rng)
    {
        var target = rng.NextDouble() * cumulative[^1];
        var index = Array.BinarySearch(cumulative, target);
        index = index >= 0 ? index + 1 : ~index;
        return Math.Min(index, cumulative.Length - 1);
    }
}
