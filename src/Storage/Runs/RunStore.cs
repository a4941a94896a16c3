using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using WildLong.Storage.Tables;

namespace WildLong.Storage.Runs;

/// <summary>
/// Pipeline runs in Table Storage (table Runs): one row per run, replaced on every status change, so the CLI and
/// the HTTP front end can show status and history whichever process runs the orchestration.
/// </summary>
/// <remarks>All runs share partition "run" (a deployment has few runs; one partition keeps listing a single query);
/// the row key is the encoded run id, so reads by id are point reads. Long JSON is split across properties.</remarks>
public sealed class RunStore : IDisposable
{
    private const string Partition = "run";
    private readonly LazyTable table;

    public RunStore(TableServiceClient tableService, IOptions<StorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(tableService);
        ArgumentNullException.ThrowIfNull(options);
        table = new LazyTable(tableService, options.Value.Tables.Runs);
    }

    /// <summary>Creates or replaces the run's row.</summary>
    public async Task UpsertAsync(RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrWhiteSpace(run.RunId, nameof(run));
        var entity = new TableEntity(Partition, TableKeys.Encode(run.RunId))
        {
            ["RunId"] = run.RunId,
            ["Status"] = run.Status,
            ["CreatedAt"] = run.CreatedAt,
            ["UpdatedAt"] = run.UpdatedAt,
            ["Pairs"] = run.Pairs,
            ["Seed"] = run.Seed.ToString(CultureInfo.InvariantCulture),
            ["DatasetPrefix"] = run.DatasetPrefix,
        };
        TableText.Write(entity, "ConfigurationJson", run.ConfigurationJson);
        TableText.Write(entity, "SummaryJson", run.SummaryJson);
        var client = await table.GetAsync(cancellationToken);
        await client.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>The run, or null when there is none with that id.</summary>
    public async Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var client = await table.GetAsync(cancellationToken);
        var response = await client.GetEntityIfExistsAsync<TableEntity>(Partition, TableKeys.Encode(runId), cancellationToken: cancellationToken);
        return response.HasValue ? FromEntity(response.Value!) : null;
    }

    /// <summary>All runs, newest first (by creation time, then id).</summary>
    public async Task<IReadOnlyList<RunRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var client = await table.GetAsync(cancellationToken);
        var runs = new List<RunRecord>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var row in client.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
        {
            runs.Add(FromEntity(row));
        }

        return runs
            .OrderByDescending(r => r.CreatedAt)
            .ThenBy(r => r.RunId, StringComparer.Ordinal)
            .ToList();
    }

    public void Dispose() => table.Dispose();

    private static RunRecord FromEntity(TableEntity row)
        => new(
            row.GetString("RunId") ?? throw new InvalidOperationException($"Run row '{row.RowKey}' has no RunId."),
            row.GetString("Status") ?? string.Empty,
            row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue,
            row.GetDateTimeOffset("UpdatedAt") ?? DateTimeOffset.MinValue,
            row.GetInt32("Pairs") ?? 0,
            ulong.Parse(row.GetString("Seed") ?? "0", CultureInfo.InvariantCulture),
            TableText.Read(row, "ConfigurationJson") ?? string.Empty,
            row.GetString("DatasetPrefix") ?? string.Empty,
            TableText.Read(row, "SummaryJson"));
}
