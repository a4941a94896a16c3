using WildLong.Core.Documents;
using WildLong.Core.Embeddings;

namespace WildLong.Core.Reports;

/// <summary>
/// What the dataset report needs that the pairs, the quarantine and the manifest do not hold, written by
/// <see cref="Runner.DatasetWriter"/> beside them as <see cref="FileName"/>, so the report can be rebuilt from the
/// dataset folder alone (no model, no run state). Every part is optional: the report says which figure it lacks.
/// </summary>
/// <param name="RealQueriesKept">Real queries that yielded meta-information (the population of the sample).</param>
/// <param name="RealQuerySample">A seeded sample of those queries' texts (at most <see cref="MaxRealQueries"/>, each cut
/// to the <see cref="MiniLmEmbeddingGenerator.MaxInputChars"/> characters an embedding reads), the reference of the
/// realism distance.</param>
/// <param name="QueriesFilteredBy">Queries filtered as not long-context, by who filtered them (pre-filter or model).</param>
/// <param name="DocumentTokens">Tokens of each document a kept pair uses, by document id.</param>
/// <param name="Planned">Pairs planned per document type, task kind and length bucket.</param>
/// <param name="LengthBucketTargets">The single-document length mix pairing aimed for (bucket → weight).</param>
/// <param name="MultiDocumentTarget">The multi-document share asked for.</param>
/// <param name="LengthBuckets">The length bands (to bucket a multi-document pair's total tokens).</param>
/// <param name="MetaInfoRecords">Meta-information records the graphs were built from.</param>
/// <param name="FieldRecords">Per graph field, the records holding at least one value (after merging).</param>
public sealed record DatasetReportInputs(
    long RealQueriesKept,
    IReadOnlyList<string>? RealQuerySample,
    IReadOnlyDictionary<string, int>? QueriesFilteredBy,
    IReadOnlyDictionary<string, int>? DocumentTokens,
    IReadOnlyList<PlannedPairCount>? Planned,
    IReadOnlyDictionary<string, double>? LengthBucketTargets,
    double? MultiDocumentTarget,
    IReadOnlyList<LengthBucketDefinition>? LengthBuckets,
    long MetaInfoRecords,
    IReadOnlyDictionary<string, long>? FieldRecords)
{
    public const string FileName = "report-inputs.json";

    /// <summary>The largest sample of real queries (and of instructions) the embedding metrics use.</summary>
    public const int MaxRealQueries = 2_000;

    /// <summary>A seeded sample of at most <paramref name="max"/> texts: the ones whose (seed, id) hash is smallest, so it does not depend on input order (see <see cref="SeededSample"/>).</summary>
    public static IReadOnlyList<string> Sample(IEnumerable<(string Id, string Text)> items, ulong seed, int max = MaxRealQueries)
    {
        ArgumentNullException.ThrowIfNull(items);
        var sample = new SeededSample(seed, max);
        foreach (var (id, text) in items)
        {
            sample.Add(id, text);
        }

        return [.. sample.Items().Select(i => i.Text)];
    }
}
