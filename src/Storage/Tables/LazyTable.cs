using Azure.Data.Tables;

namespace WildLong.Storage.Tables;

/// <summary>
/// A table client that creates its table on first use, once per instance. A failed creation is not cached, so a
/// transient error at start-up does not poison the store for its lifetime.
/// </summary>
internal sealed class LazyTable(TableServiceClient service, string tableName) : IDisposable
{
    private readonly TableClient client = CreateClient(service, tableName);
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile bool created;

    public string Name => client.Name;

    public async ValueTask<TableClient> GetAsync(CancellationToken cancellationToken)
    {
        if (created)
        {
            return client;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!created)
            {
                await client.CreateIfNotExistsAsync(cancellationToken);
                created = true;
            }
        }
        finally
        {
            gate.Release();
        }

        return client;
    }

    public void Dispose() => gate.Dispose();

    private static TableClient CreateClient(TableServiceClient service, string tableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        if (string.IsNullOrWhiteSpace(tableName))
        {
            throw new ArgumentException("A table name is required (see WildLong:Storage:Tables).", nameof(tableName));
        }

        return service.GetTableClient(tableName);
    }
}
