using WildLong.Core.Generation;

namespace WildLong.Core.Runner;

/// <summary>
/// The round policy of the generation rounds (paths and instructions of stage 1, pairs of stage 2), shared by the in-process runner and the durable orchestration so both plan the same
/// rounds: how many paths the next round plans, which share of the new ones are multi-document tasks, when to stop,
/// and which of the kept pairs make the dataset. Each round re-plans what is still missing per task kind from the
/// yield seen so far for that kind, so multi-document tasks lost to pairing, validation or the judge are replaced
/// and the dataset ends with the multi-document share asked for. Pure computation on values (no I/O, no clock, no
/// randomness), as a durable orchestrator requires.
/// </summary>
public sealed class RoundPlanner
{
    /// <summary>The lowest yield (kept pairs per path) a plan assumes, so a bad first round cannot ask for unbounded paths.</summary>
    public const double MinimumYield = 0.05;

    /// <summary>A round plans at most this many times the previous round's paths.</summary>
    public const int MaxGrowth = 3;

    private readonly int pairs;
    private readonly double oversample;
    private readonly int maxRounds;

    public RoundPlanner(int pairs, double oversample, int maxRounds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRounds, 1);
        if (!double.IsFinite(oversample) || oversample < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(oversample), oversample, "the oversampling factor must be at least 1");
        }

        this.pairs = pairs;
        this.oversample = oversample;
        this.maxRounds = maxRounds;
    }

    /// <summary>Round 1: the pairs wanted times the oversampling factor, at the run's target share.</summary>
    public RoundPlan First => new(1, (int)Math.Min(int.MaxValue, Math.Ceiling(pairs * oversample)), null);

    /// <summary>Multi-document pairs the dataset should hold.</summary>
    public int TargetMultiDocument(RoundTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        return tally.MultiDocumentPossible ? (int)Math.Round(pairs * Math.Clamp(tally.TargetShare, 0, 1), MidpointRounding.AwayFromZero) : 0;
    }

    /// <summary>
    /// The round after <paramref name="last"/>, or null to stop: when the kept pairs cover both the single- and the
    /// multi-document target, when <paramref name="freshPaths"/> (new paths <paramref name="last"/> found) is zero
    /// because the graphs are exhausted, or after the last allowed round. The next plan adds, per task kind, the
    /// missing pairs divided by that kind's yield so far (at least <see cref="MinimumYield"/>; a kind not tried yet
    /// borrows the other's), at most <see cref="MaxGrowth"/> times the last plan in all.
    /// </summary>
    public RoundPlan? Next(RoundPlan last, int freshPaths, RoundTally tally)
    {
        ArgumentNullException.ThrowIfNull(last);
        ArgumentNullException.ThrowIfNull(tally);
        if (freshPaths <= 0 || last.Round >= maxRounds)
        {
            return null;
        }

        var targetMulti = TargetMultiDocument(tally);
        var targetSingle = pairs - targetMulti;
        var keptSingle = tally.Kept - tally.KeptMultiDocument;
        var missingMulti = Math.Max(0, targetMulti - tally.KeptMultiDocument);
        var missingSingle = Math.Max(0, targetSingle - keptSingle);
        if (missingMulti == 0 && missingSingle == 0)
        {
            return null;
        }

        var singlePaths = tally.Paths - tally.MultiDocumentPaths;
        var overall = tally.Paths > 0 ? (double)tally.Kept / tally.Paths : 0;
        var singleYield = Math.Max(MinimumYield, singlePaths > 0 ? (double)keptSingle / singlePaths : overall);
        var multiYield = Math.Max(MinimumYield, tally.MultiDocumentPaths > 0 ? (double)tally.KeptMultiDocument / tally.MultiDocumentPaths : singleYield);
        var needSingle = Math.Ceiling(missingSingle / singleYield);
        var needMulti = Math.Ceiling(missingMulti / multiYield);
        var added = needSingle + needMulti;
        var wanted = (int)Math.Min(Math.Min(int.MaxValue, (double)last.WantedPaths * MaxGrowth), last.WantedPaths + added);
        return new RoundPlan(last.Round + 1, wanted, needMulti / added);
    }

    /// <summary>
    /// The dataset: <paramref name="pairs"/> records out of <paramref name="kept"/>, as close to the target multi-document share
    /// as the kept pairs allow (the other kind fills any shortfall), single-document records spread over the length
    /// buckets by <paramref name="lengthMix"/> (largest deficit first; buckets outside the mix only when the mix's are
    /// used up). Within a kind and bucket, records are taken in id order; the result is in id order.
    /// </summary>
    public static IReadOnlyList<TrainingRecord> Select(IReadOnlyList<TrainingRecord> kept, int pairs, double targetShare, IReadOnlyDictionary<string, double> lengthMix)
    {
        ArgumentNullException.ThrowIfNull(kept);
        ArgumentNullException.ThrowIfNull(lengthMix);
        var ordered = kept.OrderBy(r => r.Meta.Id, StringComparer.Ordinal).ToList();
        var multi = ordered.Where(r => r.Meta.TaskKind != TaskKind.SingleDocument).ToList();
        var single = ordered.Where(r => r.Meta.TaskKind == TaskKind.SingleDocument).ToList();
        var wantMulti = (int)Math.Round(pairs * Math.Clamp(targetShare, 0, 1), MidpointRounding.AwayFromZero);
        var takeMulti = Math.Min(wantMulti, multi.Count);
        var takeSingle = Math.Min(pairs - takeMulti, single.Count);
        takeMulti = Math.Min(multi.Count, pairs - takeSingle);
        return [.. multi.Take(takeMulti).Concat(SelectByMix(single, takeSingle, lengthMix)).OrderBy(r => r.Meta.Id, StringComparer.Ordinal)];
    }

    private static IEnumerable<TrainingRecord> SelectByMix(List<TrainingRecord> single, int count, IReadOnlyDictionary<string, double> lengthMix)
    {
        var byBucket = single
            .GroupBy(r => r.Meta.LengthBuckets.Count > 0 ? r.Meta.LengthBuckets[0] : string.Empty, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Bucket: g.Key, Weight: lengthMix.GetValueOrDefault(g.Key), Items: new Queue<TrainingRecord>(g)))
            .ToList();
        var weightSum = byBucket.Sum(b => b.Weight);
        var taken = byBucket.ToDictionary(b => b.Bucket, _ => 0, StringComparer.Ordinal);
        for (var n = 0; n < count; n++)
        {
            var open = byBucket.Where(b => b.Items.Count > 0).ToList();
            var inMix = open.Where(b => b.Weight > 0).ToList();
            var from = inMix.Count > 0
                ? inMix.MaxBy(b => ((b.Weight / weightSum) * (n + 1)) - taken[b.Bucket])
                : open[0];
            taken[from.Bucket]++;
            yield return from.Items.Dequeue();
        }
    }
}
