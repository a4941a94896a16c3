namespace WildLong.Core.Graphs;

/// <summary>
/// How a raw co-occurrence count becomes a sampling weight. Raw counts let a few head values dominate every path;
/// <see cref="Log"/> damps that, <see cref="Pmi"/> rewards pairs that co-occur more often than chance.
/// </summary>
public enum EdgeWeighting
{
    /// <summary>log(1 + count): monotone in the count, with diminishing returns. The default.</summary>
    Log = 0,

    /// <summary>
    /// Positive pointwise mutual information: max(0, log(p(a,b) / (p(a) p(b)))) with probabilities taken over the
    /// graph's record count. Pairs that co-occur no more than chance get weight 0 and are never followed.
    /// </summary>
    Pmi = 1,

    /// <summary>The raw co-occurrence count.</summary>
    Count = 2,
}
