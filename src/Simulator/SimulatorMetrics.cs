namespace WildLong.Simulator;

/// <summary>
/// Thread-safe counters of everything the simulator did, kept as run totals and per-minute buckets (the last
/// hour), served at <c>GET /metrics</c> and readable in-process, so benchmarks can compare what a pipeline sent
/// with what an Azure deployment would have admitted, cached and billed.
/// </summary>
public sealed class SimulatorMetrics
{
    private const int MinutesKept = 60;

    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly Bucket totals = new();
    private readonly SortedDictionary<long, Bucket> minutes = [];

    public SimulatorMetrics(TimeProvider time) => this.time = time ?? throw new ArgumentNullException(nameof(time));

    public SimulatorMetricsSnapshot Snapshot()
    {
        lock (gate)
        {
            return new SimulatorMetricsSnapshot(
                totals.ToCounters(null),
                [.. minutes.Select(m => m.Value.ToCounters(DateTimeOffset.FromUnixTimeSeconds(m.Key * 60)))]);
        }
    }

    internal void Received() => Update(b => b.Requests++);

    internal void Rejected() => Update(b => b.Rejected++);

    internal void Throttled() => Update(b => b.Throttled++);

    internal void Admitted(long tokens) => Update(b => b.TokensAdmitted += tokens);

    internal void Fault(FaultKind kind) => Update(b => b.Faults[kind.ToString()] = b.Faults.GetValueOrDefault(kind.ToString()) + 1);

    internal void Served(int promptTokens, int completionTokens, int cachedTokens) => Update(b =>
    {
        b.Completed++;
        b.PromptTokensServed += promptTokens;
        b.CompletionTokensServed += completionTokens;
        b.CachedTokens += cachedTokens;
        b.CacheHits += cachedTokens > 0 ? 1 : 0;
    });

    private void Update(Action<Bucket> change)
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        lock (gate)
        {
            change(totals);
            if (!minutes.TryGetValue(minute, out var bucket))
            {
                bucket = new Bucket();
                minutes[minute] = bucket;
                while (minutes.Count > MinutesKept)
                {
                    minutes.Remove(minutes.Keys.First());
                }
            }

            change(bucket);
        }
    }

    private sealed class Bucket
    {
        public long Requests;
        public long Completed;
        public long Throttled;
        public long Rejected;
        public long TokensAdmitted;
        public long PromptTokensServed;
        public long CompletionTokensServed;
        public long CacheHits;
        public long CachedTokens;
        public readonly Dictionary<string, long> Faults = [];

        public SimulatorCounters ToCounters(DateTimeOffset? minute) => new()
        {
            Minute = minute,
            Requests = Requests,
            Completed = Completed,
            Throttled = Throttled,
            Rejected = Rejected,
            TokensAdmitted = TokensAdmitted,
            PromptTokensServed = PromptTokensServed,
            CompletionTokensServed = CompletionTokensServed,
            CacheHits = CacheHits,
            CachedTokens = CachedTokens,
            Faults = new Dictionary<string, long>(Faults),
        };
    }
}
