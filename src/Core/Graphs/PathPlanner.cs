using Microsoft.Extensions.Logging;
using WildLong.Core.Common;

namespace WildLong.Core.Graphs;

/// <summary>
/// Plans a run's instruction paths over all document types: the wanted count is split over the types that have both
/// a graph and documents, in proportion to each graph's record count, and each type's share is sampled with a seed
/// derived from the run seed and the type. The plan is a pure function of (graphs, types, count, seed), so the
/// in-process runner and every durable activity that re-plans compute the same paths, and a larger plan starts with
/// the paths of a smaller one.
/// </summary>
public sealed partial class PathPlanner
{
    private readonly SamplingOptions samplingOptions;
    private readonly EdgeWeighting weighting;
    private readonly ILogger logger;

    public PathPlanner(SamplingOptions samplingOptions, EdgeWeighting weighting, ILogger logger)
    {
        this.samplingOptions = samplingOptions ?? throw new ArgumentNullException(nameof(samplingOptions));
        this.weighting = weighting;
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public IReadOnlyList<InstructionPath> Plan(GraphSet graphs, IReadOnlySet<string> typesWithDocuments, int wanted, ulong seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(graphs);
        ArgumentNullException.ThrowIfNull(typesWithDocuments);
        var weights = graphs.Graphs
            .Where(g => typesWithDocuments.Contains(g.DocumentType) && g.NodeCount > 0)
            .ToDictionary(g => g.DocumentType, g => g.RecordCount, StringComparer.Ordinal);
        var paths = new List<InstructionPath>();
        foreach (var (type, count) in Allocate(weights, wanted).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (count == 0)
            {
                continue;
            }

            var sampler = new PathSampler(graphs[type]!, samplingOptions, weighting);
            var typeSeed = StableHash.Mix(seed, StableHash.Hash64(type));
            var sampled = sampler.SampleUnique(count, typeSeed, cancellationToken);
            if (sampled.Count < count)
            {
                LogFewPaths(type, sampled.Count, count);
            }

            paths.AddRange(sampled);
        }

        if (weights.Count == 0)
        {
            LogNothingToGenerate();
        }

        return paths;
    }

    /// <summary>
    /// The paths of the plan for <paramref name="wanted"/> that are not in <paramref name="seen"/> (and adds them to
    /// it). A later round asks for more paths than the last; when a small graph's plan holds only paths already used,
    /// a plan three times larger (then nine) is tried before giving up, since sampling more finds paths that fewer
    /// attempts missed.
    /// </summary>
    public List<InstructionPath> PlanFresh(GraphSet graphs, IReadOnlySet<string> typesWithDocuments, int wanted, ulong seed, ISet<string> seen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seen);
        for (var attempt = 0; ; attempt++)
        {
            var fresh = Plan(graphs, typesWithDocuments, wanted, seed, cancellationToken).Where(p => seen.Add(p.Key)).ToList();
            if (fresh.Count > 0 || attempt == 2)
            {
                return fresh;
            }

            wanted = (int)Math.Min(int.MaxValue / 3, wanted * 3L);
        }
    }

    /// <summary>
    /// Splits <paramref name="total"/> over the keys in proportion to their weights (largest remainder, ties by
    /// name), so the plan is deterministic and sums exactly to the total.
    /// </summary>
    internal static IReadOnlyDictionary<string, int> Allocate(IReadOnlyDictionary<string, long> weights, int total)
    {
        var sum = weights.Values.Sum();
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        if (sum <= 0 || total <= 0)
        {
            return result;
        }

        var shares = weights
            .Select(kv => (Key: kv.Key, Exact: (double)total * kv.Value / sum))
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .ToList();
        foreach (var (key, exact) in shares)
        {
            result[key] = (int)Math.Floor(exact);
        }

        var left = total - result.Values.Sum();
        foreach (var (key, _) in shares.OrderByDescending(s => s.Exact - Math.Floor(s.Exact)).ThenBy(s => s.Key, StringComparer.Ordinal).Take(left))
        {
            result[key]++;
        }

        return result;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Document type {Type}: the graph supplied {Sampled} distinct paths of the {Wanted} planned")]
    private partial void LogFewPaths(string type, int sampled, int wanted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No document type has both a graph and documents; nothing to generate")]
    private partial void LogNothingToGenerate();
}
