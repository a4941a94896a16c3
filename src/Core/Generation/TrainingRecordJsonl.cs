using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using WildLong.Core.Common;

namespace WildLong.Core.Generation;

/// <summary>
/// Writes and reads training records as JSONL (one record per line, the common convention of fine-tuning tools).
/// Reading streams line by line and turns a bad line into a quarantine entry instead of an exception, so one
/// corrupt line does not make a large output file unusable.
/// </summary>
public static class TrainingRecordJsonl
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>One record as one JSON line (no trailing newline).</summary>
    public static string Serialize(TrainingRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return JsonSerializer.Serialize(record, WildLongJson.Options);
    }

    /// <summary>Writes (or with <paramref name="append"/>, appends) records to a JSONL file.</summary>
    public static async Task WriteAsync(string path, IEnumerable<TrainingRecord> records, bool append, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(records);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var stream = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
        await WriteAsync(stream, records, cancellationToken);
    }

    public static async Task WriteAsync(Stream stream, IEnumerable<TrainingRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(records);
        await using var writer = new StreamWriter(stream, Utf8, leaveOpen: true) { NewLine = "\n" };
        foreach (var record in records)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await writer.WriteLineAsync(Serialize(record).AsMemory(), cancellationToken);
        }

        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>Streams the records of a JSONL file; blank lines are skipped, bad lines (or a missing file) come back as failures.</summary>
    public static IAsyncEnumerable<ReadResult<TrainingRecord>> ReadAsync(string path, CancellationToken cancellationToken)
        => InputFiles.ReadFileAsync<TrainingRecord>(path, StageNames.TrainingRecords, ReadAsync, cancellationToken);

    public static IAsyncEnumerable<ReadResult<TrainingRecord>> ReadAsync(Stream stream, string source, CancellationToken cancellationToken)
        => ReadAsync(stream, source, JsonlLineReader.DefaultMaxLineBytes, cancellationToken);

    /// <summary>Streams records of lines up to <paramref name="maxLineBytes"/> (a dataset's own pairs hold whole documents).</summary>
    public static async IAsyncEnumerable<ReadResult<TrainingRecord>> ReadAsync(Stream stream, string source, int maxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await foreach (var line in JsonlLineReader.ReadAsync(stream, maxLineBytes, cancellationToken))
        {
            yield return line.IsError
                ? ReadResult<TrainingRecord>.Fail(QuarantineEntry.ForInput(StageNames.TrainingRecords, source, line.LineNumber, line.Error!))
                : Parse(line.Text!, source, line.LineNumber);
        }
    }

    /// <summary>Parses one line; never throws for bad content.</summary>
    public static ReadResult<TrainingRecord> Parse(string line, string source, long lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        TrainingRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<TrainingRecord>(line, WildLongJson.Options);
        }
        catch (JsonException ex)
        {
            return ReadResult<TrainingRecord>.Fail(QuarantineEntry.ForInput(StageNames.TrainingRecords, source, lineNumber, $"invalid JSON: {ex.Message}"));
        }

        return Check(record, source, lineNumber);
    }

    /// <summary>Parses one line given as its UTF-8 bytes (no string of the line is made: records carry whole documents); never throws for bad content.</summary>
    public static ReadResult<TrainingRecord> Parse(ReadOnlySpan<byte> utf8Line, string source, long lineNumber)
    {
        TrainingRecord? record;
        try
        {
            record = JsonSerializer.Deserialize<TrainingRecord>(utf8Line, WildLongJson.Options);
        }
        catch (JsonException ex)
        {
            return ReadResult<TrainingRecord>.Fail(QuarantineEntry.ForInput(StageNames.TrainingRecords, source, lineNumber, $"invalid JSON: {ex.Message}"));
        }

        return Check(record, source, lineNumber);
    }

    private static ReadResult<TrainingRecord> Check(TrainingRecord? record, string source, long lineNumber)
    {
        var problem = record switch
        {
            null => "the line is JSON null",
            { Messages: null or { Count: 0 } } => "the record has no messages",
            _ when record.Messages.Any(m => m is null || string.IsNullOrEmpty(m.Role) || m.Content is null) => "a message lacks a role or content",
            { Meta: null } => "the record has no meta",
            _ => null,
        };
        return problem is null
            ? ReadResult<TrainingRecord>.Ok(record!)
            : ReadResult<TrainingRecord>.Fail(QuarantineEntry.ForInput(StageNames.TrainingRecords, source, lineNumber, problem, record?.Meta?.Id));
    }
}
