using System.Globalization;
using System.Text.Json;
using WildLong.Core.Common;
using WildLong.Core.Graphs;

// Measures whether a run's graphs recombine (docs/quality-metrics.md definitions), from the graphs.json a run writes:
//   dotnet run -c Release --project bench/GraphRecombination -- <graphs.json> [--min-records 50] [--paths 1000]
//       [--seed 1] [--temperature 1] [--types a,b] [--min-records-for-own-graph 20] [--json out.json]
// Every type with at least --min-records records is measured on --paths distinct paths sampled as a run samples them
// (its GraphSources source, per-type seed). Targets (issue 10): singleton share < 0.5, recombination >= 0.5, KL <= 0.1.
var culture = CultureInfo.InvariantCulture;
if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
{
    Console.Error.WriteLine("usage: GraphRecombination <graphs.json> [--min-records N] [--paths N] [--seed S] [--temperature T] [--types a,b] [--min-records-for-own-graph N] [--json out.json]");
    return 2;
}

string Option(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}

GraphSet graphs;
try
{
    graphs = GraphSet.FromJson(await File.ReadAllTextAsync(args[0]));
}
catch (Exception error) when (error is IOException or JsonException or UnauthorizedAccessException or ArgumentException)
{
    Console.Error.WriteLine($"{args[0]}: cannot read a graph set: {error.Message}");
    return 3;
}

var minRecords = long.Parse(Option("--min-records", "50"), culture);
var pathCount = int.Parse(Option("--paths", "1000"), culture);
var seed = ulong.Parse(Option("--seed", "1"), culture);
var sampling = new SamplingOptions { Temperature = double.Parse(Option("--temperature", "1"), culture) };
var graphOptions = new GraphOptions { MinRecordsForOwnGraph = int.Parse(Option("--min-records-for-own-graph", "20"), culture) };
var types = Option("--types", string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var measured = (types.Length > 0 ? types : graphs.DocumentTypes.ToArray())
    .Where(t => (graphs[t]?.RecordCount ?? 0) >= minRecords || types.Length > 0)
    .ToList();

var sources = GraphSources.Resolve(graphs, measured, graphOptions, sampling.StartField);
var results = new List<GraphStatistics>();
Console.WriteLine(string.Create(culture, $"{args[0]}: {graphs.Count} types, {graphs.RecordCount} records; measuring {measured.Count} type(s) with >= {minRecords} records on {pathCount} paths each, seed {seed}, T = {sampling.Temperature}"));
Console.WriteLine($"{"type",-22} {"source",-9} {"records",7} {"nodes",6} {"edges",7} {"single",7} {"paths",6} {"recomb",7} {"novel",6} {"overlap",7} {"KL",6} {"len p/r",9}");
foreach (var source in sources.Sources)
{
    var sampler = sources.SamplerFor(source.DocumentType, sampling, graphOptions.Weighting);
    var typeSeed = StableHash.Mix(seed, StableHash.Hash64(source.DocumentType));
    var paths = sampler.SampleUnique(pathCount, typeSeed);
    var stats = GraphStatistics.Compute(source, paths);
    results.Add(stats);
    var meanPath = stats.PathLengths.Sum(kv => (double)kv.Key * kv.Value) / Math.Max(1, stats.PathLengths.Values.Sum());
    var meanRecord = stats.RecordLengths.Sum(kv => (double)kv.Key * kv.Value) / Math.Max(1, stats.RecordLengths.Values.Sum());
    Console.WriteLine(string.Create(culture,
        $"{stats.DocumentType,-22} {stats.Source,-9} {stats.Records,7} {stats.Nodes,6} {stats.Edges,7} {F(stats.SingletonNodeShare),7} {stats.Paths,6} {F(stats.RecombinationRate),7}{(stats.RecombinationExact ? " " : "~")}{F(stats.NovelPairShare),6} {F(stats.BestSingleRecordOverlap),7} {F(stats.PathLengthKl),6} {meanPath,4:F1}/{meanRecord,4:F1}"));
}

foreach (var stats in results)
{
    var verdicts = new[]
    {
        ("singleton < 0.5", stats.SingletonNodeShare is < 0.5),
        ("recombination >= 0.5", stats.RecombinationRate is >= 0.5),
        ("KL <= 0.1", stats.PathLengthKl is <= 0.1),
    };
    Console.WriteLine($"{stats.DocumentType}: " + string.Join(", ", verdicts.Select(v => $"{v.Item1} {(v.Item2 ? "met" : "NOT met")}")));
}

if (Option("--json", string.Empty) is { Length: > 0 } jsonPath)
{
    await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(new GraphReport(results, sources.Borrowings, sources.Unserved), new JsonSerializerOptions(WildLongJson.Options) { WriteIndented = true }));
    Console.WriteLine($"wrote {jsonPath}");
}

return 0;

static string F(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "-";
