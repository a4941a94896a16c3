using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using WildLong.Pipeline.Documents;
using WildLong.Pipeline.Graphs;
using WildLong.Pipeline.Runs;
using WildLong.Storage;
using WildLong.Storage.Tests.Support;

namespace WildLong.Pipeline.Tests.Support;

/// <summary>
/// Stores over one Azurite with table names unique to a test, plus raw table access for checking rows. Disposing
/// deletes the tables: the shared Azurite saves its whole database periodically, so leftovers slow later tests.
/// </summary>
internal sealed class TableTestContext(AzuriteFixture fixture) : IAsyncDisposable
{
    public TableServiceClient Service { get; } = new(fixture.ConnectionString);

    public StorageOptions Options { get; } = new()
    {
        ConnectionString = fixture.ConnectionString,
        Tables = new StorageTableNames
        {
            Graph = AzuriteFixture.UniqueName("graph"),
            GraphShards = AzuriteFixture.UniqueName("shards"),
            Documents = AzuriteFixture.UniqueName("docs"),
            Runs = AzuriteFixture.UniqueName("runs"),
        },
    };

    public GraphCountStore GraphStore() => new(Service, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<GraphCountStore>.Instance);

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

    public async ValueTask DisposeAsync()
    {
        var tables = Options.Tables;
        foreach (var name in new[] { tables.Graph, tables.GraphShards, tables.Documents, tables.Runs })
        {
            await Service.DeleteTableAsync(name);
        }
    }
}
