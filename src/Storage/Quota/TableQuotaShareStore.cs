using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WildLong.Llm.Quota;

namespace WildLong.Storage.Quota;

/// <summary>
/// The quota pools in Table Storage (table <c>WildLongQuotaShares</c>): partition = the deployment's pool, row = one
/// worker process with <c>LastSeen</c> (its last heartbeat), <c>Claim</c>, <c>Demand</c>, <c>Need</c> and
/// <c>NeedSince</c>, <c>Unit</c>, <c>Next</c> (see <see cref="QuotaShareMember"/>). A heartbeat is one upsert and one partition query, plus one
/// upsert when the worker's share grows: at the default 2-second interval about 100,000 transactions a day per
/// worker (a few cents a month).
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

    public async Task<IReadOnlyList<QuotaShareMember>> HeartbeatAsync(string pool, QuotaShareMember self, CancellationToken cancellationToken)
    {
        await UpdateAsync(pool, self, cancellationToken).ConfigureAwait(false);
        var members = new List<QuotaShareMember>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == pool, select: ["RowKey", "LastSeen", "Claim", "Demand", "Need", "NeedSince", "Unit", "Next"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetDateTimeOffset("LastSeen") is { } seen)
            {
                members.Add(new QuotaShareMember(row.RowKey, seen)
                {
                    Claim = row.GetDouble("Claim"),
                    Demand = row.GetDouble("Demand") ?? 1,
                    Need = row.GetDouble("Need") ?? 0,
                    NeedSince = row.GetDateTimeOffset("NeedSince"),
                    Unit = row.GetDouble("Unit"),
                    Next = row.GetDouble("Next"),
                });
            }
        }

        return members;
    }

    public async Task UpdateAsync(string pool, QuotaShareMember self, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(self);
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(pool, self.Member) { ["LastSeen"] = self.LastSeen, ["Demand"] = self.Demand, ["Need"] = self.Need };
        if (self.Claim is { } claim)
        {
            entity["Claim"] = claim;
        }

        if (self.NeedSince is { } since)
        {
            entity["NeedSince"] = since;
        }

        if (self.Unit is { } unit)
        {
            entity["Unit"] = unit;
        }

        if (self.Next is { } next)
        {
            entity["Next"] = next;
        }

        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
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
