using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging.Abstractions;
using WildLong.Storage;
using WildLong.Storage.Documents;
using WildLong.Storage.Graphs;
using WildLong.Storage.Runs;

namespace WildLong.Pipeline.Tests.Support;

/// <summary>
/// Stores over one Azurite with table and container names unique to a test, plus raw table and blob access for
/// checking what was stored. Disposing deletes them: the shared Azurite saves its whole database periodically, so
/// leftovers slow later tests.
/// </summary>
internal sealed class TableTestContext(AzuriteFixture fixture) : IAsyncDisposable
{
    public TableServiceClient Service { get; } = new(fixture.ConnectionString);

    public BlobServiceClient Blobs { get; } = new(fixture.ConnectionString);

    public StorageOptions Options { get; } = new()
    {
        ConnectionString = fixture.ConnectionString,
        Containers = new StorageContainerNames { MetaInfo = AzuriteFixture.UniqueName("meta") },
        Tables = new StorageTableNames
        {
            Graph = AzuriteFixture.UniqueName("graph"),
            GraphShards = AzuriteFixture.UniqueName("shards"),
            Documents = AzuriteFixture.UniqueName("docs"),
            Runs = AzuriteFixture.UniqueName("runs"),
        },
    };

    public GraphCountStore GraphStore() => new(Blobs, Service, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<GraphCountStore>.Instance);

    public DocumentIndexStore DocumentStore() => new(Service, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<DocumentIndexStore>.Instance);

    public RunStore RunStore() => new(Service, Microsoft.Extensions.Options.Options.Create(Options));

    /// <summary>Every (PartitionKey, RowKey, Count-or-RecordCount) of a table, sorted.</summary>
    public async Task<List<(string Partition, string Row, long? Count)>> RowsAsync(string table)
    {
        var rows = new List<(string, string, long?)>();
        await foreach (var row in Service.GetTableClient(table).QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey", "Count", "RecordCount"]))
        {
            rows.Add((row.PartitionKey, row.RowKey, row.GetInt64("Count") ?? row.GetInt64("RecordCount")));
        }

        return rows.OrderBy(r => r.Item1, StringComparer.Ordinal).ThenBy(r => r.Item2, StringComparer.Ordinal).ToList();
    }

    /// <summary>The names of the blobs under a prefix of the test's meta-information container, sorted.</summary>
    public async Task<List<string>> BlobNamesAsync(string prefix)
    {
        var names = new List<string>();
        var container = Blobs.GetBlobContainerClient(Options.Containers.MetaInfo);
        if (!(await container.ExistsAsync()).Value)
        {
            return names;
        }

        await foreach (var item in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = prefix }))
        {
            names.Add(item.Name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public async ValueTask DisposeAsync()
    {
        await Blobs.GetBlobContainerClient(Options.Containers.MetaInfo).DeleteIfExistsAsync();
        var tables = Options.Tables;
        foreach (var name in new[] { tables.Graph, tables.GraphShards, tables.Documents, tables.Runs })
        {
            await Service.DeleteTableAsync(name);
        }
    }
}
