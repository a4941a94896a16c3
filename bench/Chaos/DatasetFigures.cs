using System.Text.Json;
using WildLong.Core;

namespace WildLong.Bench.Chaos;

/// <summary>What the checks compare between the chaos run's dataset and the clean run's: read from a dataset folder.</summary>
internal sealed record DatasetFigures(
    int Pairs,
    int DistinctIds,
    int DistinctInstructions,
    int ManifestPairs,
    int Quarantined,
    int QuarantinedWithoutReason,
    long GraphRecords,
    long GraphNodes,
    long GraphNodeCount,
    IReadOnlyList<string> Ids,
    string GraphsJson,
    IReadOnlyList<(string Stage, string Item)> QuarantineKeys)
{
    /// <summary>Stages that drop a query before its record reaches the graph (the model extraction and normalization).</summary>
    private static readonly string[] BeforeGraph = [StageNames.MetaInfoExtraction, StageNames.MetaInfoNormalization];

    /// <summary>The quarantined queries whose records the graph lacks because a model stage gave up on them.</summary>
    public IReadOnlyList<(string Stage, string Item)> QuarantinedBeforeGraph => [.. QuarantineKeys.Where(k => BeforeGraph.Contains(k.Stage, StringComparer.Ordinal))];

    public static DatasetFigures? Read(string folder)
    {
        var pairsFile = Path.Combine(folder, "pairs.jsonl");
        if (!File.Exists(pairsFile))
        {
            return null;
        }

        var ids = new List<string>();
        var instructions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(pairsFile).Where(l => l.Length > 0))
        {
            using var pair = JsonDocument.Parse(line);
            var meta = pair.RootElement.GetProperty("meta");
            ids.Add(meta.GetProperty("id").GetString()!);
            instructions.Add(meta.GetProperty("instruction").GetString()!);
        }

        var quarantined = 0;
        var withoutReason = 0;
        var keys = new List<(string Stage, string Item)>();
        var quarantineFile = Path.Combine(folder, "quarantine.jsonl");
        if (File.Exists(quarantineFile))
        {
            foreach (var line in File.ReadLines(quarantineFile).Where(l => l.Length > 0))
            {
                using var entry = JsonDocument.Parse(line);
                quarantined++;
                if (entry.RootElement.TryGetProperty("stage", out var stage) && entry.RootElement.TryGetProperty("item_id", out var item) && item.ValueKind == JsonValueKind.String)
                {
                    keys.Add((stage.GetString()!, item.GetString()!));
                }

                if (!entry.RootElement.TryGetProperty("reason", out var reason) || string.IsNullOrWhiteSpace(reason.GetString()))
                {
                    withoutReason++;
                }
            }
        }

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        var graphsJson = File.ReadAllText(Path.Combine(folder, "graphs.json"));
        using var graphs = JsonDocument.Parse(graphsJson);
        long records = 0, nodes = 0, nodeCount = 0;
        foreach (var graph in graphs.RootElement.GetProperty("graphs").EnumerateArray())
        {
            records += graph.GetProperty("record_count").GetInt64();
            foreach (var node in graph.GetProperty("nodes").EnumerateArray())
            {
                nodes++;
                nodeCount += node.GetProperty("count").GetInt64();
            }
        }

        return new DatasetFigures(ids.Count, ids.Distinct(StringComparer.Ordinal).Count(), instructions.Count, manifest.RootElement.GetProperty("pairs").GetInt32(),
            quarantined, withoutReason, records, nodes, nodeCount, ids, graphsJson, keys);
    }
}
