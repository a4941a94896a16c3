using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace WildLong.Simulator.Caching;

/// <summary>
/// Azure OpenAI's automatic prompt caching, reproduced so cost benchmarks see realistic cached-token counts:
/// a prompt of at least 1,024 tokens whose first 1,024 tokens were seen on the same deployment within the cache
/// window gets a hit, extended in steps of 128 tokens for as long as the prefix keeps matching.
/// The store keeps one entry per 128-token block boundary (a hash of the whole prefix up to it), bounded in size.
/// </summary>
internal sealed class PromptCache
{
    public const int MinimumPrefix = 1_024;
    public const int Step = 128;

    private readonly Lock gate = new();
    private readonly Dictionary<(string Deployment, int Length, ulong Hash), DateTimeOffset> lastSeen = [];
    private readonly Queue<((string Deployment, int Length, ulong Hash) Key, DateTimeOffset At)> insertions = new();
    private readonly TimeSpan window;
    private readonly int capacity;

    public PromptCache(TimeSpan window, int capacity)
    {
        this.window = window;
        this.capacity = capacity;
    }

    /// <summary>Returns the cached prefix length for this prompt (0 on a miss) and remembers its prefixes.</summary>
    public int LookupAndStore(string deployment, IReadOnlyList<int> promptTokenIds, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(promptTokenIds);
        if (promptTokenIds.Count < MinimumPrefix)
        {
            return 0;
        }

        var boundaries = PrefixHashes(promptTokenIds);
        lock (gate)
        {
            var cached = 0;
            foreach (var (length, hash) in boundaries)
            {
                if (lastSeen.TryGetValue((deployment, length, hash), out var seen) && now - seen < window)
                {
                    cached = length;
                }
                else
                {
                    break;
                }
            }

            foreach (var (length, hash) in boundaries)
            {
                var key = (deployment, length, hash);
                lastSeen[key] = now;
                insertions.Enqueue((key, now));
            }

            Evict(now);
            return cached;
        }
    }

    /// <summary>Prefix lengths 1024, 1152, … up to the prompt length, each with the hash of the prefix.</summary>
    private static List<(int Length, ulong Hash)> PrefixHashes(IReadOnlyList<int> ids)
    {
        var result = new List<(int, ulong)>();
        var hasher = new XxHash64();
        var block = new int[Step];
        for (var start = 0; start + Step <= ids.Count; start += Step)
        {
            for (var i = 0; i < Step; i++)
            {
                block[i] = ids[start + i];
            }

            hasher.Append(MemoryMarshal.AsBytes(block.AsSpan()));
            var length = start + Step;
            if (length >= MinimumPrefix)
            {
                result.Add((length, hasher.GetCurrentHashAsUInt64()));
            }
        }

        return result;
    }

    private void Evict(DateTimeOffset now)
    {
        while (insertions.Count > 0)
        {
            var (key, at) = insertions.Peek();
            var expired = now - at >= window;
            if (!expired && lastSeen.Count <= capacity && insertions.Count <= 2 * capacity)
            {
                break;
            }

            insertions.Dequeue();
            // Only drop the entry when this insertion is its latest sighting; a newer one keeps it alive.
            if (lastSeen.TryGetValue(key, out var seen) && seen == at)
            {
                lastSeen.Remove(key);
            }
        }
    }
}
