using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;
using WildLong.Core.DependencyInjection;
using WildLong.Core.MetaInfo;
using WildLong.Core.Queries;
using WildLong.Simulator;

// Usage: dotnet run -c Release --project bench/ExtractionValues -- <queries.jsonl> [max queries] [seed]
// Runs only stage 1's value-producing steps (pre-filter, extraction by the simulator, normalization, value merging)
// and prints, per graph field: distinct values before and after merging, the share of values seen once, and merges.
var queriesPath = args.Length > 0 ? args[0] : "/work/shared/data/queries/queries.jsonl";
var limit = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : int.MaxValue;
var seed = args.Length > 2 ? args[2] : "0";

var simulatorOptions = new SimulatorOptions { MetricsLogIntervalSeconds = 0 };
simulatorOptions.Deployments = [new DeploymentOptions("gpt-4o-mini", 1_000_000_000, 10_000_000)];
await using var simulator = await SimulatorServer.StartAsync(simulatorOptions, CancellationToken.None);
var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["WildLong:MetaInfoExtraction:Seed"] = seed,
    ["WildLong:MetaInfoExtraction:MaxParallelism"] = "8",
}).Build();
var client = new OpenAIClient(new ApiKeyCredential(simulator.ApiKey), new OpenAIClientOptions
{
    Endpoint = new Uri(simulator.BaseAddress, "v1"),
    RetryPolicy = new ClientRetryPolicy(0),
    NetworkTimeout = TimeSpan.FromMinutes(5),
});
using var services = new ServiceCollection()
    .AddLogging()
    .AddSingleton(client.GetChatClient("gpt-4o-mini").AsIChatClient())
    .AddWildLongMethod(configuration)
    .BuildServiceProvider();

var watch = Stopwatch.StartNew();
var queries = new List<UserQuery>();
await foreach (var read in services.GetRequiredService<QueryReader>().ReadAsync(queriesPath, CancellationToken.None))
{
    if (read.IsSuccess && queries.Count < limit)
    {
        queries.Add(read.Value!);
    }
}

var extractor = services.GetRequiredService<MetaInfoExtractor>();
var extracted = new List<ExtractedMetaInfo>();
int filtered = 0, quarantined = 0;
foreach (var batch in queries.Chunk(200))
{
    var result = await extractor.ExtractAsync(batch, CancellationToken.None);
    extracted.AddRange(result.Extracted);
    filtered += result.Filtered.Count;
    quarantined += result.Quarantined.Count;
}

var normalized = await services.GetRequiredService<MetaInfoNormalizer>().NormalizeAsync(extracted, CancellationToken.None);
var merger = services.GetRequiredService<NearDuplicateMerger>();
var counts = NearDuplicateMerger.CountValues(normalized.Items);
var map = await merger.BuildAsync(counts, CancellationToken.None);
var merged = normalized.Items.Select(map.Apply).ToList();
var mergedCounts = NearDuplicateMerger.CountValues(merged);
var schema = services.GetRequiredService<MetaInfoSchema>();

Console.WriteLine($"queries {queries.Count}, extracted {extracted.Count}, filtered {filtered}, quarantined {quarantined}, records {normalized.Items.Count}, merged_values {map.MergedValueCount}, {watch.Elapsed.TotalSeconds:F0} s");
Console.WriteLine("field                 records  distinct(before merge)  distinct(after merge)  singleton share(after)  top values");
foreach (var field in schema.Fields.Where(f => f.InGraph && f.Name != schema.DocumentTypeField))
{
    var before = counts.GetValueOrDefault(field.Name) ?? new Dictionary<string, long>();
    var after = mergedCounts.GetValueOrDefault(field.Name) ?? new Dictionary<string, long>();
    var withField = merged.Count(r => r.Fields.ContainsKey(field.Name));
    var singletons = after.Count == 0 ? 0 : (double)after.Count(kv => kv.Value == 1) / after.Count;
    var top = string.Join("; ", after.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(4).Select(kv => $"{kv.Key} ({kv.Value})"));
    Console.WriteLine($"{field.Name,-22}{withField,7}  {before.Count,22}  {after.Count,21}  {singletons,22:P0}  {top}");
}
