using WildLong.Core.Common;
using WildLong.Core.MetaInfo;

namespace WildLong.Benchmarks;

/// <summary>
/// Deterministic synthetic meta-information records shaped like real extraction output — 13 fields, Zipf-like value
/// frequencies, cardinalities from a few hundred to tens of thousands, 1–3 values in list fields, about ten document
/// types of uneven size — so graph and sampling costs can be measured at production scale without real data.
/// </summary>
public static class SyntheticMetaInfo
{
    private static readonly (string Name, int Cardinality, bool IsList, double Presence)[] FieldSpecs =
    [
        ("task_type", 400, false, 1.0),
        ("user_intent", 30_000, false, 0.95),
        ("user_profile", 8_000, false, 0.8),
        ("domain", 1_500, true, 0.9),
        ("output_format", 300, false, 0.85),
        ("tone", 300, false, 0.6),
        ("language", 300, false, 0.9),
        ("document_section", 5_000, true, 0.7),
        ("entity_type", 3_000, true, 0.75),
        ("constraint", 20_000, true, 0.8),
        ("reasoning_type", 500, true, 0.85),
        ("audience", 2_000, false, 0.7),
        ("length_requirement", 300, false, 0.65),
    ];

    private static readonly string[] DocumentTypes =
    [
        "legal_contract", "academic_paper", "financial_report", "novel", "technical_manual",
        "meeting_transcript", "news_article", "medical_record", "source_code", "government_report",
    ];

    private static readonly string[][] Values = FieldSpecs
        .Select(f => Enumerable.Range(0, f.Cardinality).Select(i => $"{f.Name} value {i}").ToArray())
        .ToArray();

    private static readonly double[][] ValueCumulative = FieldSpecs.Select(f => ZipfCumulative(f.Cardinality, 1.05)).ToArray();

    private static readonly double[] TypeCumulative = ZipfCumulative(DocumentTypes.Length, 0.8);

    public static int FieldCount => FieldSpecs.Length;

    /// <summary>Records 0..count-1; record i depends only on (seed, i).</summary>
    public static MetaInfoRecord[] Generate(int count, ulong seed = 42)
    {
        var records = new MetaInfoRecord[count];
        Parallel.For(0, count, i => records[i] = Create(i, seed));
        return records;
    }

    public static MetaInfoRecord Create(long index, ulong seed)
    {
        var rng = DeterministicRandom.ForItem(seed, index);
        var type = Pick(TypeCumulative, rng);
        var fields = new Dictionary<string, IReadOnlyList<string>>(FieldSpecs.Length, StringComparer.Ordinal);
        for (var f = 0; f < FieldSpecs.Length; f++)
        {
            var spec = FieldSpecs[f];
            if (rng.NextDouble() >= spec.Presence)
            {
                continue;
            }

            var n = spec.IsList ? rng.NextInt(1, 3) : 1;
            var values = new string[n];
            for (var k = 0; k < n; k++)
            {
                // Each document type has its own popular values: rotate the Zipf ranks per type.
                var rank = Pick(ValueCumulative[f], rng);
                values[k] = Values[f][(rank + (type * 7919)) % spec.Cardinality];
            }

            fields[spec.Name] = values;
        }

        return new MetaInfoRecord($"q{index}", DocumentTypes[type], fields);
    }

    private static double[] ZipfCumulative(int n, double exponent)
    {
        var cumulative = new double[n];
        double sum = 0;
        for (var r = 0; r < n; r++)
        {
            sum += 1.0 / Math.Pow(r + 1, exponent);
            cumulative[r] = sum;
        }

        return cumulative;
    }

    private static int Pick(double[] cumulative, DeterministicRandom rng)
    {
        var i = Array.BinarySearch(cumulative, rng.NextDouble() * cumulative[^1]);
        return Math.Min(i >= 0 ? i + 1 : ~i, cumulative.Length - 1);
    }
}
