using WildLong.Core.Common;
using WildLong.Core.Embeddings;

namespace WildLong.Core.Reports;

/// <summary>
/// A seeded sample of at most a given number of texts, chosen as the ones whose (seed, id) hash is smallest — so it
/// depends neither on input order nor on how many items follow — kept in a bounded heap while items stream past
/// (memory O(sample), not O(items)). An id seen again is ignored (the first text wins). Texts are cut to the
/// <see cref="MiniLmEmbeddingGenerator.MaxInputChars"/> characters an embedding reads.
/// </summary>
public sealed class SeededSample(ulong seed, int max)
{
    private readonly PriorityQueue<(string Id, string Text), (ulong Hash, string Id)> largestFirst = new(Comparer<(ulong Hash, string Id)>.Create(
        (a, b) => b.Hash != a.Hash ? b.Hash.CompareTo(a.Hash) : string.CompareOrdinal(b.Id, a.Id)));

    private readonly HashSet<string> held = new(StringComparer.Ordinal);

    public void Add(string id, string text)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (max <= 0 || held.Contains(id))
        {
            return;
        }

        var key = (StableHash.Hash64(id, seed), id);
        if (largestFirst.Count == max)
        {
            var top = largestFirst.Peek();
            var topKey = (StableHash.Hash64(top.Id, seed), top.Id);
            if (key.Item1 > topKey.Item1 || (key.Item1 == topKey.Item1 && string.CompareOrdinal(id, top.Id) >= 0))
            {
                return;
            }

            held.Remove(largestFirst.Dequeue().Id);
        }

        largestFirst.Enqueue((id, text.Length <= MiniLmEmbeddingGenerator.MaxInputChars ? text : text[..MiniLmEmbeddingGenerator.MaxInputChars]), key);
        held.Add(id);
    }

    /// <summary>The sampled (id, text) pairs in (hash, id) order.</summary>
    public IReadOnlyList<(string Id, string Text)> Items()
        => [.. largestFirst.UnorderedItems.OrderBy(i => i.Priority.Hash).ThenBy(i => i.Priority.Id, StringComparer.Ordinal).Select(i => i.Element)];
}
