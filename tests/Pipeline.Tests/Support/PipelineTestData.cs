using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using WildLong.Core.Graphs;
using WildLong.Core.MetaInfo;
using WildLong.Simulator;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Tests.Support;

/// <summary>
/// The inputs of the end-to-end tests — two query shards of 100 sample queries each and 20 sample documents, cut from
/// the bundled sample copied next to the tests — and the checks every durable run shares (dataset files, pair ids).
/// </summary>
public static class PipelineTestData
{
    public const string Deployment = "gpt-4o-mini";
    public const int SimulatorTpm = 5_000_000;
    public const int SimulatorRpm = 30_000;
    public const int QueriesPerShard = 100;
    public const int Documents = 20;
    public const int Pairs = 30;
    public const string InputPrefix = "in/";

    /// <summary>The files of a finished dataset folder (blob prefix <c>{runId}/dataset/</c>).</summary>
    public static readonly string[] DatasetFiles = ["pairs.jsonl", "pairs.parquet", "manifest.json", "README.md", "quarantine.jsonl"];

    /// <summary>The query shards; the second is gzip-compressed (as WildChat dumps come), so every durable test reads a .gz input too.</summary>
    public static string[] ShardNames { get; } = ["shard-a.jsonl", "shard-b.jsonl.gz"];

    public static Task<SimulatorServer> StartSimulatorAsync(CancellationToken cancellationToken = default)
        => SimulatorServer.StartAsync(
            new SimulatorOptions { MetricsLogIntervalSeconds = 0, Deployments = [new DeploymentOptions(Deployment, SimulatorTpm, SimulatorRpm)] },
            cancellationToken);

    /// <summary>Writes the two shards into <c>{folder}/queries</c> and the documents file as <c>{folder}/documents.jsonl</c>.</summary>
    public static (string QueriesFolder, string DocumentsFile) WriteInputs(string folder)
    {
        var sample = Path.Combine(AppContext.BaseDirectory, "TestData");
        var queries = File.ReadLines(Path.Combine(sample, "queries.jsonl")).Where(l => l.Length > 0).Take(QueriesPerShard * ShardNames.Length).ToList();
        var documents = File.ReadLines(Path.Combine(sample, "documents.jsonl")).Where(l => l.Length > 0).Take(Documents).ToList();
        Assert.Equal(QueriesPerShard * ShardNames.Length, queries.Count);
        Assert.Equal(Documents, documents.Count);

        var queriesFolder = Path.Combine(folder, "queries");
        Directory.CreateDirectory(queriesFolder);
        for (var i = 0; i < ShardNames.Length; i++)
        {
            var lines = queries.Skip(i * QueriesPerShard).Take(QueriesPerShard);
            if (ShardNames[i].EndsWith(".gz", StringComparison.Ordinal))
            {
                using var file = File.Create(Path.Combine(queriesFolder, ShardNames[i]));
                using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Optimal);
                using var writer = new StreamWriter(gzip);
                foreach (var line in lines)
                {
                    writer.WriteLine(line);
                }
            }
            else
            {
                File.WriteAllLines(Path.Combine(queriesFolder, ShardNames[i]), lines);
            }
        }

        var documentsFile = Path.Combine(folder, "documents.jsonl");
        File.WriteAllLines(documentsFile, documents);
        return (queriesFolder, documentsFile);
    }

    /// <summary>Uploads the inputs under <see cref="InputPrefix"/> of the host's queries and documents containers.</summary>
    public static async Task UploadInputsAsync(PipelineTestHost host, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var (queries, documents) = WriteInputs(folder);
        foreach (var shard in ShardNames)
        {
            await UploadAsync(host.Blobs, host.Names.Containers.Queries, InputPrefix + shard, Path.Combine(queries, shard), cancellationToken);
        }

        await UploadAsync(host.Blobs, host.Names.Containers.Documents, InputPrefix + "documents.jsonl", documents, cancellationToken);
    }

    public static async Task UploadAsync(BlobServiceClient blobs, string container, string name, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        var client = blobs.GetBlobContainerClient(container);
        await client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await client.GetBlobClient(name).UploadAsync(file, overwrite: true, cancellationToken);
    }

    /// <summary>Every meta-information record the extraction wrote (all batches of all shards in the metainfo container).</summary>
    public static async Task<List<MetaInfoRecord>> ExtractedRecordsAsync(PipelineTestHost host, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(host);
        var store = host.Services.GetRequiredService<PipelineBlobStore>();
        var records = new List<MetaInfoRecord>();
        var names = await store.ListAsync(host.Names.Containers.MetaInfo, "shards/", cancellationToken);
        foreach (var name in names.Where(n => n.EndsWith(".jsonl", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            records.AddRange(await store.ReadLinesAsync<MetaInfoRecord>(new BlobRef(host.Names.Containers.MetaInfo, name), cancellationToken));
        }

        return records;
    }

    /// <summary>The graphs <see cref="GraphSet.Build"/> makes of <paramref name="records"/> with the host's graph options.</summary>
    public static GraphSet ExpectedGraphs(PipelineTestHost host, IEnumerable<MetaInfoRecord> records)
    {
        ArgumentNullException.ThrowIfNull(host);
        var schema = host.Services.GetRequiredService<MetaInfoSchema>();
        var options = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GraphOptions>>().Value;
        return GraphSet.Build(records, options.Excluding(schema.NonGraphFields));
    }

    /// <summary>Asserts two graph sets hold exactly the same counts, naming the first difference.</summary>
    public static void AssertSameCounts(GraphSet expected, GraphSet actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        Assert.Equal(expected.DocumentTypes, actual.DocumentTypes);
        foreach (var graph in expected.Graphs)
        {
            var other = actual[graph.DocumentType]!;
            Assert.Equal((graph.DocumentType, graph.RecordCount, graph.NodeCount, graph.EdgeCount), (other.DocumentType, other.RecordCount, other.NodeCount, other.EdgeCount));
            foreach (var node in graph.Nodes)
            {
                Assert.True(node.Count == other.GetNodeCount(node.Field, node.Value), $"{graph.DocumentType} node {node.Field}={node.Value}: expected {node.Count}, found {other.GetNodeCount(node.Field, node.Value)}");
            }

            foreach (var edge in graph.Edges)
            {
                var found = other.GetEdgeCount(edge.FieldA, edge.ValueA, edge.FieldB, edge.ValueB);
                Assert.True(edge.Count == found, $"{graph.DocumentType} edge {edge.FieldA}={edge.ValueA} / {edge.FieldB}={edge.ValueB}: expected {edge.Count}, found {found}");
            }
        }

        Assert.True(expected.ContentEquals(actual));
    }

    /// <summary>The pairs of a pairs.jsonl text: (id, document ids, the whole line) in file order.</summary>
    public static List<DatasetPair> ParsePairs(string jsonl)
    {
        ArgumentNullException.ThrowIfNull(jsonl);
        var pairs = new List<DatasetPair>();
        foreach (var line in jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            using var json = JsonDocument.Parse(line);
            var meta = json.RootElement.GetProperty("meta");
            pairs.Add(new DatasetPair(
                meta.GetProperty("id").GetString()!,
                [.. meta.GetProperty("document_ids").EnumerateArray().Select(e => e.GetString()!)],
                line));
        }

        return pairs;
    }

    /// <summary>
    /// Deletes the test's containers and tables and its task hub's queues, tables and containers: the shared Azurite
    /// saves its whole database periodically, so leftovers slow later tests.
    /// </summary>
    public static async Task DeleteAsync(string connectionString, TestStorageNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var blobs = new BlobServiceClient(connectionString);
        var tables = new TableServiceClient(connectionString);
        var queues = new QueueServiceClient(connectionString);
        var hub = names.TaskHub.ToLowerInvariant();
        var c = names.Containers;
        var t = names.Tables;
        var containers = new List<string> { c.Queries, c.Documents, c.MetaInfo, c.Datasets, c.Quarantine, c.LlmCache };
        await foreach (var container in blobs.GetBlobContainersAsync(prefix: hub))
        {
            containers.Add(container.Name);
        }

        foreach (var container in containers)
        {
            await blobs.GetBlobContainerClient(container).DeleteIfExistsAsync();
        }

        var tableNames = new List<string> { t.Runs, t.Usage, t.BatchJobs, t.Graph, t.GraphShards, t.Documents };
        await foreach (var table in tables.QueryAsync())
        {
            if (table.Name.StartsWith(names.TaskHub, StringComparison.OrdinalIgnoreCase))
            {
                tableNames.Add(table.Name);
            }
        }

        foreach (var table in tableNames)
        {
            await tables.GetTableClient(table).DeleteAsync();
        }

        await foreach (var queue in queues.GetQueuesAsync(prefix: hub))
        {
            await queues.DeleteQueueAsync(queue.Name);
        }

        if (Directory.Exists(names.ShardCacheDirectory))
        {
            Directory.Delete(names.ShardCacheDirectory, recursive: true);
        }
    }
}
