using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WildLong.Llm.Quota;

namespace WildLong.Storage.Quota;

/// <summary>
/// The quota pools in Table Storage (table <c>WildLongQuotaShares</c>): partition = the deployment's pool, row = one
/// worker process, <c>LastSeen</c> = its last heartbeat. A heartbeat is one upsert and one partition query, every few
/// seconds per worker: a few thousand transactions a day per worker.
/// </summary>
public sealed class TableQuotaShareStore : IQuotaShareStore
{
    private readonly TableClient table;
    private Task? tableCreation;

    public TableQuotaShareStore(TableServiceClient tableService, IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(tableService);
        ArgumentNullException.ThrowIfNull(options);
        table = tableService.GetTableClient(options.Value.Tables.QuotaShares);
    }

    public async Task<IReadOnlyList<QuotaShareMember>> HeartbeatAsync(string pool, string member, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(pool, member) { ["LastSeen"] = now }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        var members = new List<QuotaShareMember>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == pool, select: ["RowKey", "LastSeen"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetDateTimeOffset("LastSeen") is { } seen)
            {
                members.Add(new QuotaShareMember(row.RowKey, seen));
            }
        }

        return members;
    }

    public async Task LeaveAsync(string pool, string member, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(pool, member, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Never joined, or already gone.
        }
    }

    private Task EnsureTableAsync(CancellationToken cancellationToken)
        => tableCreation is { IsCompletedSuccessfully: true } done ? done : tableCreation = table.CreateIfNotExistsAsync(cancellationToken);
}
