namespace WildLong.Core.Graphs;

/// <summary>
/// How many graph values real records of one document type hold: a histogram of the number of (field, value) nodes
/// per record, and per field a histogram of how many values a record holding that field has. Paths are shaped after
/// it (a path's length is drawn from the first, a list field's number of values from the second), so sampled
/// requests ask for as much as real requests do instead of filling every field. Plain counts: shapes of separate
/// shards add up to the shape of all records, like the graph's node and edge counts.
/// </summary>
/// <remarks>Writing is not thread-safe; reads of a finished shape are.</remarks>
public sealed class GraphShape
{
    /// <summary>The <see cref="GraphShapeBin.Field"/> of the whole-record histogram (not a valid field name).</summary>
    public const string AllFields = "*";

    private readonly Dictionary<string, List<long>> byField = new(StringComparer.Ordinal);
    private readonly List<long> lengths = [];

    /// <summary>Records counted (including records without any graph value).</summary>
    public long RecordCount { get; private set; }

    /// <summary>True when no record has been counted (a graph built before shapes were recorded).</summary>
    public bool IsEmpty => RecordCount == 0;

    /// <summary>The fields that at least one counted record held.</summary>
    public IEnumerable<string> Fields => byField.Keys;

    /// <summary>Records by their number of graph values (0 included), as (length, records) in ascending length.</summary>
    public IReadOnlyList<KeyValuePair<int, long>> Lengths => NonZero(lengths);

    /// <summary>Records holding <paramref name="field"/>, by how many values of it they hold (k ≥ 1), ascending.</summary>
    public IReadOnlyList<KeyValuePair<int, long>> ValuesOf(string field)
        => byField.TryGetValue(field, out var counts) ? NonZero(counts) : [];

    /// <summary>The share of counted records that hold at least one value of <paramref name="field"/>.</summary>
    public double Presence(string field)
    {
        if (RecordCount == 0 || !byField.TryGetValue(field, out var counts))
        {
            return 0;
        }

        long present = 0;
        for (var k = 1; k < counts.Count; k++)
        {
            present += counts[k];
        }

        return (double)present / RecordCount;
    }

    /// <summary>Counts one record holding <paramref name="length"/> values in all.</summary>
    internal void AddRecord(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        RecordCount++;
        Bump(lengths, length, 1);
    }

    /// <summary>Counts that the record just added holds <paramref name="values"/> (≥ 1) values of <paramref name="field"/>.</summary>
    internal void AddField(string field, int values)
    {
        if (!byField.TryGetValue(field, out var counts))
        {
            byField.Add(field, counts = []);
        }

        Bump(counts, values, 1);
    }

    /// <summary>Adds another shape's counts. Order and grouping do not matter.</summary>
    public void Merge(GraphShape other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var bin in other.ToBins())
        {
            Add(bin);
        }
    }

    /// <summary>Adds one count row (as read back from a DTO or a table; repeated rows sum).</summary>
    public void Add(GraphShapeBin bin)
    {
        ArgumentNullException.ThrowIfNull(bin);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bin.Count, nameof(bin));
        ArgumentOutOfRangeException.ThrowIfNegative(bin.Values, nameof(bin));
        ArgumentException.ThrowIfNullOrEmpty(bin.Field, nameof(bin));
        if (bin.Field == AllFields)
        {
            RecordCount += bin.Count;
            Bump(lengths, bin.Values, bin.Count);
            return;
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bin.Values, nameof(bin));
        if (!byField.TryGetValue(bin.Field, out var counts))
        {
            byField.Add(bin.Field, counts = []);
        }

        Bump(counts, bin.Values, bin.Count);
    }

    /// <summary>The counts as sorted rows: the whole-record histogram first, then fields in ordinal order.</summary>
    public IReadOnlyList<GraphShapeBin> ToBins()
    {
        var bins = Lengths.Select(kv => new GraphShapeBin(AllFields, kv.Key, kv.Value)).ToList();
        foreach (var field in byField.Keys.Order(StringComparer.Ordinal))
        {
            bins.AddRange(ValuesOf(field).Select(kv => new GraphShapeBin(field, kv.Key, kv.Value)));
        }

        return bins;
    }

    /// <summary>A shape built from count rows (repeated rows sum).</summary>
    public static GraphShape FromBins(IEnumerable<GraphShapeBin>? bins)
    {
        var shape = new GraphShape();
        foreach (var bin in bins ?? [])
        {
            shape.Add(bin);
        }

        return shape;
    }

    public GraphShape Clone() => FromBins(ToBins());

    public bool ContentEquals(GraphShape? other) => other is not null && ToBins().SequenceEqual(other.ToBins());

    private static void Bump(List<long> counts, int index, long by)
    {
        while (counts.Count <= index)
        {
            counts.Add(0);
        }

        counts[index] += by;
    }

    private static List<KeyValuePair<int, long>> NonZero(List<long> counts)
    {
        var result = new List<KeyValuePair<int, long>>();
        for (var k = 0; k < counts.Count; k++)
        {
            if (counts[k] > 0)
            {
                result.Add(new KeyValuePair<int, long>(k, counts[k]));
            }
        }

        return result;
    }
}
