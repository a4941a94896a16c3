using System.Globalization;
using System.Text.Json;
using Parquet;
using Parquet.Serialization;
using WildLong.Core.Common;

namespace WildLong.Core.Generation;

/// <summary>
/// Writes training records as Parquet, the format dataset tooling (Hugging Face datasets, Spark, DuckDB) loads
/// fastest: flat columns to filter and rebalance on (type, task kind, tokens, judge score) plus the chat messages
/// and full provenance as JSON text, so a Parquet file carries the same information as <c>pairs.jsonl</c>.
/// </summary>
public static class TrainingRecordParquet
{
    /// <summary>Characters of messages (the pairs' documents) a row group holds at most, so any dataset is written in bounded memory.</summary>
    internal const long RowGroupChars = 32L << 20;

    private const int RowGroupRows = 1_000;

    /// <summary>
    /// Writes the records as they come, a row group at a time (at most 1,000 rows or <see cref="RowGroupChars"/>
    /// characters of messages); returns how many were written. An empty sequence gives a file with the schema only.
    /// </summary>
    public static async Task<int> WriteAsync(string path, IAsyncEnumerable<TrainingRecord> records, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(records);
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None);
        var rows = new List<TrainingRecordParquetRow>();
        long chars = 0;
        var written = 0;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            var row = ToRow(record);
            rows.Add(row);
            chars += row.Messages.Length;
            if (rows.Count >= RowGroupRows || chars >= RowGroupChars)
            {
                written += await WriteRowGroupAsync(stream, rows, written > 0, cancellationToken);
                chars = 0;
            }
        }

        if (rows.Count > 0 || written == 0)
        {
            written += await WriteRowGroupAsync(stream, rows, written > 0, cancellationToken);
        }

        return written;
    }

    private static async Task<int> WriteRowGroupAsync(Stream stream, List<TrainingRecordParquetRow> rows, bool append, CancellationToken cancellationToken)
    {
        await ParquetSerializer.SerializeAsync(rows, stream, new ParquetOptions { Append = append }, customMetadata: null, cancellationToken);
        var count = rows.Count;
        rows.Clear();
        return count;
    }

    /// <summary>Reads the rows back (for checks and tools); the messages and meta columns are JSON text.</summary>
    public static async Task<IReadOnlyList<TrainingRecordParquetRow>> ReadRowsAsync(Stream stream, CancellationToken cancellationToken)
    {
        var result = await ParquetSerializer.DeserializeAsync<TrainingRecordParquetRow>(stream, cancellationToken: cancellationToken);
        return [.. result.Data];
    }

    private static TrainingRecordParquetRow ToRow(TrainingRecord record)
    {
        var meta = record.Meta;
        return new TrainingRecordParquetRow
        {
            Id = meta.Id,
            DocumentType = meta.DocumentType,
            TaskKind = meta.TaskKind.ToString(),
            Instruction = meta.Instruction,
            Response = record.Messages.LastOrDefault(m => m.Role == TrainingMessage.AssistantRole)?.Content ?? string.Empty,
            DocumentIds = [.. meta.DocumentIds],
            LengthBuckets = [.. meta.LengthBuckets],
            PromptTokens = meta.PromptTokens,
            ResponseTokens = meta.ResponseTokens,
            JudgeScore = meta.Judge.Score,
            Model = meta.Model,
            Seed = meta.Seed.ToString(CultureInfo.InvariantCulture),
            Messages = JsonSerializer.Serialize(record.Messages, WildLongJson.Options),
            Meta = JsonSerializer.Serialize(meta, WildLongJson.Options),
        };
    }
}
