using WildLong.Core.Common;

namespace WildLong.Core.Tests.Randomness;

public sealed class DeterministicRandomTests
{
    [Fact]
    public void The_sequence_is_fixed_by_the_seed_and_differs_between_items()
    {
        // SplitMix64 reference values for seed 0 (Vigna's splitmix64.c): the generator is specified, not an accident.
        var random = new DeterministicRandom(0);
        Assert.Equal(0xE220A8397B1DCDAFUL, random.NextUInt64());
        Assert.Equal(0x6E789E6AA1B965F4UL, random.NextUInt64());

        var a = DeterministicRandom.ForItem(42, 7);
        var b = DeterministicRandom.ForItem(42, 7);
        var c = DeterministicRandom.ForItem(42, 8);
        var first = Enumerable.Range(0, 5).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(first, Enumerable.Range(0, 5).Select(_ => b.NextUInt64()));
        Assert.NotEqual(first, Enumerable.Range(0, 5).Select(_ => c.NextUInt64()));
    }

    [Fact]
    public void Weighted_choice_follows_the_weights_and_skips_zero_weights()
    {
        var random = new DeterministicRandom(2024);
        double[] weights = [1, 0, 3, 6];
        var counts = new int[4];
        const int Draws = 100_000;
        for (var i = 0; i < Draws; i++)
        {
            counts[random.NextWeighted(weights)]++;
        }

        Assert.Equal(0, counts[1]);
        // Binomial standard deviation at p = 0.3 over 100,000 draws is ~145; allow 5 sigma.
        Assert.InRange(counts[0], 10_000 - 500, 10_000 + 500);
        Assert.InRange(counts[2], 30_000 - 725, 30_000 + 725);
        Assert.InRange(counts[3], 60_000 - 775, 60_000 + 775);
        Assert.Equal(-1, random.NextWeighted([0, 0]));
    }

    [Fact]
    public void Integers_stay_in_range_and_shuffle_is_a_permutation()
    {
        var random = new DeterministicRandom(5);
        var seen = new HashSet<int>();
        for (var i = 0; i < 10_000; i++)
        {
            var value = random.NextInt(2, 4);
            Assert.InRange(value, 2, 4);
            seen.Add(value);
        }

        Assert.Equal([2, 3, 4], seen.Order());
        var items = Enumerable.Range(0, 50).ToList();
        random.Shuffle(items);
        Assert.NotEqual(Enumerable.Range(0, 50), items);
        Assert.Equal(Enumerable.Range(0, 50), items.Order());
    }

    [Fact]
    public void Stable_hashes_do_not_depend_on_the_process()
    {
        // XxHash64 of "abc" with seed 0 (the algorithm's published test vector).
        Assert.Equal(0x44BC2CF5AD770999UL, StableHash.Hash64("abc"));
        Assert.NotEqual(StableHash.ContentAddress("ab", "c"), StableHash.ContentAddress("a", "bc"));
        Assert.Equal(64, StableHash.ContentAddress("x").Length);
    }
}
