using Microsoft.Extensions.Logging;
using WildLong.Core.Common;

namespace WildLong.Core.Graphs;

/// <summary>
/// Plans a run's instruction paths over all document types: every type that has documents gets a source graph
/// (its own, blended or borrowed — <see cref="GraphSources"/>), the wanted count is split over those types in
/// proportion to <see cref="GraphSource.PlanWeight"/> (own record count, at least
/// <see cref="GraphOptions.MinRecordsForOwnGraph"/>), and each type's share is sampled with a seed derived from the
/// run seed and the type. The plan is a pure function of (graphs, types, count, seed, options), so the in-process
/// runner and every durable activity that re-plans compute the same paths, and a larger plan starts with the paths
/// of a smaller one.
/// </summary>
public sealed partial class PathPlanner
{
    private readonly SamplingOptions samplingOptions;
    private readonly GraphOptions graphOptions;
    private readonly EdgeWeighting weighting;
    private readonly ILogger logger;

    /// <summary>A planner with default fallback settings (<see cref="GraphOptions"/> defaults, the given weighting).</summary>
    public PathPlanner(SamplingOptions samplingOptions, EdgeWeighting weighting, ILogger logger)
        : this(samplingOptions, new GraphOptions { Weighting = weighting }, logger)
    {
    }

    public PathPlanner(SamplingOptions samplingOptions, GraphOptions graphOptions, ILogger logger)
    {
        this.samplingOptions = samplingOptions ?? throw new ArgumentNullException(nameof(samplingOptions));
        this.graphOptions = graphOptions ?? throw new ArgumentNullException(nameof(graphOptions));
        this.graphOptions.Validate();
        weighting = graphOptions.Weighting;
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// The source graph of every type with documents. Resolve once per run (or round) and pass the result to
    /// <see cref="Plan(GraphSources, int, ulong, CancellationToken)"/>: it pools the graph of all types when some type
    /// needs it, and its samplers are reused across plans.
    /// </summary>
    public GraphSources Resolve(GraphSet graphs, IEnumerable<string> typesWithDocuments)
    {
        var sources = GraphSources.Resolve(graphs, typesWithDocuments, graphOptions, samplingOptions.StartField);
        foreach (var borrowing in sources.Borrowings)
        {
            LogBorrowing(borrowing.DocumentType, borrowing.Kind, borrowing.Source, borrowing.Reason);
        }

        return sources;
    }

    public IReadOnlyList<InstructionPath> Plan(GraphSet graphs, IReadOnlySet<string> typesWithDocuments, int wanted, ulong seed, CancellationToken cancellationToken)
        => Plan(Resolve(graphs, typesWithDocuments), wanted, seed, cancellationToken);

    public IReadOnlyList<InstructionPath> Plan(GraphSources sources, int wanted, ulong seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var weights = sources.Sources.ToDictionary(s => s.DocumentType, s => s.PlanWeight, StringComparer.Ordinal);
        var paths = new List<InstructionPath>();
        foreach (var (type, count) in Allocate(weights, wanted).OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (count == 0)
            {
                continue;
            }

            var sampler = sources.SamplerFor(type, samplingOptions, weighting);
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
        => PlanFresh(Resolve(graphs, typesWithDocuments), wanted, seed, seen, cancellationToken);

    /// <inheritdoc cref="PlanFresh(GraphSet, IReadOnlySet{string}, int, ulong, ISet{string}, CancellationToken)"/>
    public List<InstructionPath> PlanFresh(GraphSources sources, int wanted, ulong seed, ISet<string> seen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seen);
        for (var attempt = 0; ; attempt++)
        {
            var fresh = Plan(sources, wanted, seed, cancellationToken).Where(p => seen.Add(p.Key)).ToList();
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Document type {Type} samples {Kind} from graph '{Source}': {Reason}")]
    private partial void LogBorrowing(string type, GraphSourceKind kind, string source, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No document type with documents has a graph to sample from (no graph at all); nothing to generate")]
    private partial void LogNothingToGenerate();
}
