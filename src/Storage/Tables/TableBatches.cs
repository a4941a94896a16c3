using Azure;
using Azure.Data.Tables;

namespace WildLong.Storage.Tables;

/// <summary>
/// Submits many upserts or deletes as entity-group transactions: grouped by partition, at most 100 operations and a
/// bounded payload per transaction, several transactions in flight at once. Deleting rows that are already gone is
/// not an error (another attempt of the same work may have deleted them first).
/// </summary>
internal static class TableBatches
{
    /// <summary>The service's limit on operations per entity-group transaction.</summary>
    public const int MaxOperations = 100;

    /// <summary>Stays well below the service's 4 MiB transaction payload limit.</summary>
    public const long MaxPayloadBytes = 2L * 1024 * 1024;

    /// <summary>Table Storage limits a string property to 64 KiB, i.e. 32 Ki UTF-16 characters.</summary>
    public const int MaxStringLength = 32 * 1024;

    /// <summary>Upserts (replace) all entities; returns how many were written.</summary>
    public static Task<long> UpsertAsync(TableClient table, IEnumerable<ITableEntity> entities, int maxConcurrency, CancellationToken cancellationToken)
        => SubmitAsync(table, entities, TableTransactionActionType.UpsertReplace, maxConcurrency, cancellationToken);

    /// <summary>Deletes all entities (unconditionally); returns how many were deleted or already gone.</summary>
    public static Task<long> DeleteAsync(TableClient table, IEnumerable<ITableEntity> entities, int maxConcurrency, CancellationToken cancellationToken)
        => SubmitAsync(table, entities, TableTransactionActionType.Delete, maxConcurrency, cancellationToken);

    private static async Task<long> SubmitAsync(
        TableClient table,
        IEnumerable<ITableEntity> entities,
        TableTransactionActionType type,
        int maxConcurrency,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(entities);
        var batches = Plan(entities, type);
        long done = 0;
        await Parallel.ForEachAsync(
            batches,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxConcurrency), CancellationToken = cancellationToken },
            async (batch, ct) =>
            {
                await SubmitOneAsync(table, batch, type, ct);
                Interlocked.Add(ref done, batch.Count);
            });
        return done;
    }

    private static List<List<TableTransactionAction>> Plan(IEnumerable<ITableEntity> entities, TableTransactionActionType type)
    {
        var batches = new List<List<TableTransactionAction>>();
        var open = new Dictionary<string, (List<TableTransactionAction> Actions, long Bytes)>(StringComparer.Ordinal);
        var seen = new HashSet<(string, string)>();
        foreach (var entity in entities)
        {
            if (!seen.Add((entity.PartitionKey, entity.RowKey)))
            {
                throw new ArgumentException(
                    $"Entity '{entity.PartitionKey}'/'{entity.RowKey}' appears twice in one submission.", nameof(entities));
            }

            var bytes = EstimateBytes(entity);
            if (open.TryGetValue(entity.PartitionKey, out var current)
                && (current.Actions.Count == MaxOperations || current.Bytes + bytes > MaxPayloadBytes))
            {
                batches.Add(current.Actions);
                open.Remove(entity.PartitionKey);
            }

            if (!open.TryGetValue(entity.PartitionKey, out current))
            {
                current = ([], 0);
            }

            current.Actions.Add(new TableTransactionAction(type, entity, ETag.All));
            open[entity.PartitionKey] = (current.Actions, current.Bytes + bytes);
        }

        batches.AddRange(open.Values.Select(v => v.Actions));
        return batches;
    }

    private static async Task SubmitOneAsync(TableClient table, List<TableTransactionAction> batch, TableTransactionActionType type, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
        }
        catch (TableTransactionFailedException error) when (type == TableTransactionActionType.Delete && error.Status == 404)
        {
            // Some rows were deleted by another attempt meanwhile: delete the rest one by one.
            foreach (var action in batch)
            {
                try
                {
                    await table.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, cancellationToken);
                }
                catch (RequestFailedException gone) when (gone.Status == 404)
                {
                    // Already gone: the goal of the delete is met.
                }
            }
        }
    }

    /// <summary>A generous upper bound of the entity's JSON size in a transaction body.</summary>
    private static long EstimateBytes(ITableEntity entity)
    {
        long bytes = 512 + ((entity.PartitionKey.Length + entity.RowKey.Length) * 3L);
        if (entity is TableEntity dictionary)
        {
            foreach (var (name, value) in dictionary)
            {
                bytes += 32 + (name.Length * 3L) + (value is string text ? text.Length * 6L : 64);
            }
        }

        return bytes;
    }
}
