using System.Text.Json;
using WildLong.Core.Documents;
using WildLong.Core.Generation;

namespace WildLong.Core.Reports;

/// <summary>
/// What one pass over the kept pairs collects for the report, so a dataset of any size is read once and never held
/// whole: counts per cell, document and placement, the grounding tallies, the instructions' lexical diversity
/// (streaming) and a seeded sample of the instructions for the embedding figures — nothing grows with the number of
/// pairs except the per-document counts.
/// </summary>
internal sealed class PairTally : IDisposable
{
    private readonly IReadOnlyDictionary<string, int>? documentTokens;
    private readonly LengthBuckets? buckets;

    public PairTally(DatasetReportInputs? inputs, ulong seed, int sampleSize)
    {
        InstructionSample = new SeededSample(seed, sampleSize);
        documentTokens = inputs?.DocumentTokens;
        buckets = inputs?.LengthBuckets is { Count: > 0 } definitions ? new LengthBuckets(definitions) : null;
    }

    public long Records { get; private set; }

    public long MultiDocument { get; private set; }

    /// <summary>Distinct-n and compression over every kept pair's instruction.</summary>
    public InstructionDiversity Diversity { get; } = new();

    /// <summary>The seeded sample of instructions the embedding figures use.</summary>
    public SeededSample InstructionSample { get; }

    public Dictionary<(string Type, string Kind, string Bucket), long> Kept { get; } = [];

    public Dictionary<string, int> DocumentUses { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> Placement { get; } = new(StringComparer.Ordinal);

    public Dictionary<int, long> JudgeScores { get; } = [];

    public EvidenceGrounding Grounding { get; } = new();

    public long DocumentTokenSum { get; private set; }

    public long DocumentTokenPairs { get; private set; }

    public void Add(TrainingRecord record) => Add(record, EvidenceGrounding.Measure(record));

    /// <summary>Adds a pair whose grounding was measured already (the costly part, which the reader runs in parallel).</summary>
    public void Add(TrainingRecord record, PairGrounding grounding)
    {
        var meta = record.Meta;
        Records++;
        MultiDocument += meta.DocumentIds.Count >= 2 ? 1 : 0;
        Diversity.Add(meta.Instruction);
        InstructionSample.Add(meta.Id, meta.Instruction);
        foreach (var id in meta.DocumentIds)
        {
            DocumentUses[id] = DocumentUses.GetValueOrDefault(id) + 1;
        }

        var placement = JsonNamingPolicy.SnakeCaseLower.ConvertName(meta.InstructionPosition.ToString());
        Placement[placement] = Placement.GetValueOrDefault(placement) + 1;
        JudgeScores[meta.Judge.Score] = JudgeScores.GetValueOrDefault(meta.Judge.Score) + 1;
        Grounding.Add(grounding);

        long? tokens = documentTokens is not null && meta.DocumentIds.All(documentTokens.ContainsKey)
            ? meta.DocumentIds.Sum(id => (long)documentTokens[id])
            : null;
        if (tokens is { } known)
        {
            DocumentTokenSum += known;
            DocumentTokenPairs++;
        }

        var bucket = tokens is { } total && buckets is not null ? PairLengthBucket.Of(buckets, total)
            : meta.DocumentIds.Count == 1 && meta.LengthBuckets.Count == 1 ? meta.LengthBuckets[0]
            : "unknown (tokens not recorded)";
        var key = (meta.DocumentType, JsonNamingPolicy.SnakeCaseLower.ConvertName(meta.TaskKind.ToString()), bucket);
        Kept[key] = Kept.GetValueOrDefault(key) + 1;
    }

    public void Dispose() => Diversity.Dispose();
}
