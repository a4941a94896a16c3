using System.IO.Hashing;
using System.Text;
using WildLong.Core.Graphs;

namespace WildLong.Core.Tests.Graphs;

public sealed class RecordSignaturesTests
{
    public static TheoryData<string, string> Nodes => new()
    {
        { "task_type", "summarize" },
        { "domain", "droit des sociétés — contrats" },
        { "user_intent", "比较两份合同的违约条款" },
        { "output_format", "emoji 📄 list" },
        { "constraint", new string('x', 700) + "é" },
        { "tone", "lone \uD800 surrogate" },
        { string.Empty, string.Empty },
    };

    [Theory]
    [MemberData(nameof(Nodes))]
    public void A_node_hash_is_xxhash64_of_field_unit_separator_value_in_utf8(string field, string value)
    {
        // Stored graphs keep these hashes in their record signatures: the format must not change.
        var expected = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(field + "\u001F" + value));
        Assert.Equal(expected, RecordSignatures.NodeHash(field, value));
    }

    [Fact]
    public void Past_many_trims_the_kept_sets_are_the_bottom_k_of_all_in_any_order_and_split()
    {
        // 6,000 distinct sets (1-90 nodes, some above the 64 sorted on the stack), a few added more than once, in
        // duplicate and unsorted form; a limit of 100 trims every 1,024 distinct sets and compacts the node store.
        var random = new Random(7);
        var sets = Enumerable.Range(0, 6_000).Select(_ => Enumerable.Range(0, random.Next(1, 91)).Select(_ => (ulong)random.NextInt64()).ToArray()).ToList();
        var counts = sets.Select(_ => random.Next(1, 4)).ToArray();
        var expected = sets.Select((set, i) => (Key: Fingerprint(set), Nodes: set.Order().ToArray(), Count: (long)counts[i]))
            .OrderBy(e => e.Key).Take(100).ToList();

        var whole = new RecordSignatures(100);
        var parts = new[] { new RecordSignatures(100), new RecordSignatures(100), new RecordSignatures(100) };
        foreach (var i in Enumerable.Range(0, sets.Count).OrderBy(_ => random.Next()))
        {
            for (var c = 0; c < counts[i]; c++)
            {
                // Shuffled, with a duplicate node: the set is the same.
                var shuffled = sets[i].Append(sets[i][0]).OrderBy(_ => random.Next()).ToArray();
                whole.Add(shuffled);
                parts[i % 3].Add(shuffled);
            }
        }

        parts[2].Merge(parts[0]);
        parts[2].Merge(parts[1]);

        Assert.True(whole.Truncated);
        Assert.Equal(expected.Select(e => (e.Nodes, e.Count)), whole.Entries().Select(e => (e.Nodes, e.Count)), EntryComparer.Instance);
        Assert.True(parts[2].ContentEquals(whole));
        Assert.True(whole.Clone().ContentEquals(whole));
    }

    private static ulong Fingerprint(ulong[] set)
        => XxHash64.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(set.Distinct().Order().ToArray().AsSpan()));

    private sealed class EntryComparer : IEqualityComparer<(ulong[] Nodes, long Count)>
    {
        public static readonly EntryComparer Instance = new();

        public bool Equals((ulong[] Nodes, long Count) x, (ulong[] Nodes, long Count) y) => x.Count == y.Count && x.Nodes.SequenceEqual(y.Nodes);

        public int GetHashCode((ulong[] Nodes, long Count) obj) => obj.Count.GetHashCode();
    }
}
