namespace WildLong.Core.Common;

/// <summary>
/// A small seeded generator (SplitMix64) whose sequence is fixed by specification, so sampled paths and pairings
/// are reproducible on any machine and .NET version (System.Random makes no such promise).
/// Derive one per work item from (seed, index) with <see cref="StableHash.Mix"/> so results do not depend on
/// execution order.
/// </summary>
public sealed class DeterministicRandom
{
    private ulong state;

    public DeterministicRandom(ulong seed) => state = seed;

    public static DeterministicRandom ForItem(ulong seed, long index) => new(StableHash.Mix(seed, (ulong)index));

    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL;
        var z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer in [0, maxExclusive).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(NextDouble() * maxExclusive);
    }

    /// <summary>An integer in [minInclusive, maxInclusive].</summary>
    public int NextInt(int minInclusive, int maxInclusive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInclusive, minInclusive);
        return minInclusive + NextInt(maxInclusive - minInclusive + 1);
    }

    /// <summary>Picks an index with probability proportional to its (non-negative) weight; -1 when all are zero.</summary>
    public int NextWeighted(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (var w in weights)
        {
            total += w > 0 ? w : 0;
        }

        if (total <= 0)
        {
            return -1;
        }

        var target = NextDouble() * total;
        var last = -1;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0)
            {
                continue;
            }

            last = i;
            target -= weights[i];
            if (target < 0)
            {
                return i;
            }
        }

        return last;
    }

    /// <summary>Shuffles in place (Fisher–Yates).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
