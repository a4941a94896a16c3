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
    public static async Task WriteAsync(Stream stream, IEnumerable<TrainingRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(records);
        var rows = records.Select(ToRow).ToList();
        await ParquetSerializer.SerializeAsync(rows, stream, new ParquetOptions(), customMetadata: null, cancellationToken);
    }

    public static async Task WriteAsync(string path, IEnumerable<TrainingRecord> records, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        await using var stream = File.Create(path);
        await WriteAsync(stream, records, cancellationToken);
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
