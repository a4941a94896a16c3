using WildLong.Core.Common;

namespace WildLong.Simulator.Faults;

/// <summary>
/// Decides which fault, if any, hits a request. The draw is a function of the fault seed, the request's content
/// hash and how many times that same request has been seen, so a run is reproducible while a retried request gets
/// a fresh draw (a fault that repeated forever on retry would not look like a transient failure).
/// </summary>
internal sealed class FaultInjector
{
    private const int MaxTracked = 100_000;

    private readonly FaultOptions options;
    private readonly Lock gate = new();
    private readonly Dictionary<ulong, int> attempts = [];

    public FaultInjector(FaultOptions options) => this.options = options;

    public FaultKind Decide(ulong requestHash, bool hasSchema)
    {
        if (options.TotalRate <= 0)
        {
            return FaultKind.None;
        }

        int attempt;
        lock (gate)
        {
            if (attempts.Count >= MaxTracked)
            {
                attempts.Clear();
            }

            attempts.TryGetValue(requestHash, out attempt);
            attempts[requestHash] = attempt + 1;
        }

        var random = new DeterministicRandom(StableHash.Mix(StableHash.Mix((ulong)options.Seed, requestHash), (ulong)attempt));
        var draw = random.NextDouble();
        (FaultKind Kind, double Rate)[] bands =
        [
            (FaultKind.ServerError, options.ServerErrorRate),
            (FaultKind.ServiceUnavailable, options.ServiceUnavailableRate),
            (FaultKind.ConnectionReset, options.ConnectionResetRate),
            (FaultKind.Hang, options.HangRate),
            (FaultKind.MalformedJson, options.MalformedJsonRate),
            (FaultKind.TruncatedContent, options.TruncatedContentRate),
            (FaultKind.SchemaViolation, hasSchema ? options.SchemaViolationRate : 0),
        ];
        foreach (var (kind, rate) in bands)
        {
            if (draw < rate)
            {
                return kind;
            }

            draw -= rate;
        }

        return FaultKind.None;
    }
}
