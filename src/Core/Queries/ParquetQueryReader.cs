using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Parquet;
using Parquet.Data;
using Parquet.Schema;
using WildLong.Core.Common;

namespace WildLong.Core.Queries;

/// <summary>
/// Reads user queries from Parquet: WildChat's published shards (a <c>conversation</c> list of
/// {role, content, …} structs plus <c>conversation_hash</c> and <c>language</c>) and flat files with a
/// <c>text</c> or <c>prompt</c> column. It streams one row group at a time, so memory is bounded by the largest
/// row group rather than the file. A file of another shape, or a corrupt one, is one clear error result.
/// </summary>
public sealed class ParquetQueryReader
{
    private readonly QueryReaderOptions options;

    public ParquetQueryReader(IOptions<QueryReaderOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
    }

    /// <summary>Reads every row; "line" in results and errors is the 1-based row number in the file.</summary>
    public async IAsyncEnumerable<ReadResult<UserQuery>> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var (reader, openError) = await TryOpenAsync(path, cancellationToken);
        if (reader is null)
        {
            yield return Fail(path, 0, openError!);
            yield break;
        }

        await using (reader)
        {
            var layout = ParquetQueryLayout.Detect(reader.Schema, out var schemaError);
            if (layout is null)
            {
                yield return Fail(path, 0, schemaError!);
                yield break;
            }

            var context = new RowContext(path, Path.GetFileName(path), options.DefaultSource ?? Path.GetFileNameWithoutExtension(path));
            long firstRow = 1;
            for (var group = 0; group < reader.RowGroupCount; group++)
            {
                var (results, rows) = await ReadRowGroupAsync(reader, group, layout, context, firstRow, cancellationToken);
                foreach (var result in results)
                {
                    yield return result;
                }

                firstRow += rows;
            }
        }
    }

    private static async Task<(ParquetReader? Reader, string? Error)> TryOpenAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return (null, "file not found");
        }

        try
        {
            return (await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return (null, $"not a readable Parquet file ({ex.GetType().Name}: {ex.Message})");
        }
    }

    private static async Task<(List<ReadResult<UserQuery>> Results, long Rows)> ReadRowGroupAsync(
        ParquetReader reader, int group, ParquetQueryLayout layout, RowContext context, long firstRow, CancellationToken cancellationToken)
    {
        long rowCount = 0;
        try
        {
            using var rowGroup = reader.OpenRowGroupReader(group);
            rowCount = rowGroup.RowCount;
            var texts = layout.Text is not null
                ? await ReadFlatAsync(rowGroup, layout.Text, cancellationToken)
                : await ReadFirstUserTurnsAsync(rowGroup, layout.Role!, layout.Content!, cancellationToken);
            var ids = layout.Id is null ? null : await ReadFlatAsync(rowGroup, layout.Id, cancellationToken);
            var languages = layout.Language is null ? null : await ReadFlatAsync(rowGroup, layout.Language, cancellationToken);
            var sources = layout.Source is null ? null : await ReadFlatAsync(rowGroup, layout.Source, cancellationToken);
            if (texts.Length != rowCount)
            {
                return ([Fail(context.Path, firstRow, $"row group {group}: expected {rowCount} rows but the text column has {texts.Length}")], rowCount);
            }

            var results = new List<ReadResult<UserQuery>>(texts.Length);
            for (var i = 0; i < texts.Length; i++)
            {
                var row = firstRow + i;
                var id = ids?[i].Value;
                var text = texts[i];
                if (text.Error is not null)
                {
                    results.Add(Fail(context.Path, row, text.Error, id));
                }
                else if (string.IsNullOrWhiteSpace(text.Value))
                {
                    results.Add(Fail(context.Path, row, text.Value is null ? $"'{layout.TextDescription}' is null" : "empty query text", id));
                }
                else
                {
                    results.Add(ReadResult<UserQuery>.Ok(new UserQuery(
                        string.IsNullOrWhiteSpace(id) ? $"{context.FileName}:{row}" : id,
                        text.Value,
                        sources?[i].Value ?? layout.ImpliedSource ?? context.DefaultSource,
                        languages?[i].Value,
                        $"{context.Path}:{row}")));
                }
            }

            return (results, rowCount);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return ([Fail(context.Path, firstRow, $"row group {group} could not be read ({ex.GetType().Name}: {ex.Message}); its {rowCount} rows are skipped")], rowCount);
        }
    }

    /// <summary>A non-repeated column as one value per row (null where the row has none).</summary>
    private static async Task<Cell[]> ReadFlatAsync(ParquetRowGroupReader rowGroup, DataField field, CancellationToken cancellationToken)
    {
        using var raw = await rowGroup.ReadRawColumnDataBaseAsync(field, cancellationToken);
        var values = ToStrings(raw);
        if (field.MaxDefinitionLevel == 0)
        {
            // A required column has no definition levels: every row has a value.
            return [.. values.Select(v => new Cell(v, null))];
        }

        var levels = raw.DefinitionLevels;

        var cells = new Cell[levels.Length];
        var next = 0;
        for (var i = 0; i < levels.Length; i++)
        {
            cells[i] = levels[i] == field.MaxDefinitionLevel ? new Cell(values[next++], null) : default;
        }

        return cells;
    }

    /// <summary>
    /// Reassembles the repeated role and content columns (sibling leaves of the same list of structs, so their
    /// level streams line up entry by entry) and takes, per row, the content of the first turn whose role is "user".
    /// </summary>
    private static async Task<Cell[]> ReadFirstUserTurnsAsync(ParquetRowGroupReader rowGroup, DataField role, DataField content, CancellationToken cancellationToken)
    {
        var roles = await ReadRepeatedAsync(rowGroup, role, cancellationToken);
        var contents = await ReadRepeatedAsync(rowGroup, content, cancellationToken);
        if (roles.Repetition.Length != contents.Repetition.Length)
        {
            throw new InvalidDataException($"columns '{role.Path}' and '{content.Path}' have different numbers of entries");
        }

        var cells = new List<Cell>();
        var found = false;
        for (var i = 0; i < roles.Values.Length; i++)
        {
            if (roles.Repetition[i] == 0)
            {
                if (i > 0 && !found)
                {
                    cells.Add(new Cell(null, "conversation has no user turn"));
                }

                found = false;
            }

            if (found || !string.Equals(roles.Values[i], "user", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            found = true;
            cells.Add(contents.Values[i] is null ? new Cell(null, "the first user turn has no content") : new Cell(contents.Values[i], null));
        }

        if (roles.Values.Length > 0 && !found)
        {
            cells.Add(new Cell(null, "conversation has no user turn"));
        }

        return [.. cells];
    }

    private static async Task<(string?[] Values, int[] Repetition)> ReadRepeatedAsync(ParquetRowGroupReader rowGroup, DataField field, CancellationToken cancellationToken)
    {
        using var raw = await rowGroup.ReadRawColumnDataBaseAsync(field, cancellationToken);
        var values = ToStrings(raw);
        var definition = raw.DefinitionLevels; // a repeated leaf always has definition levels
        var repetition = raw.RepetitionLevels.ToArray();
        var entries = new string?[repetition.Length];
        var next = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            if (definition[i] == field.MaxDefinitionLevel)
            {
                entries[i] = values[next++];
            }
        }

        return (entries, repetition);
    }

    private static string?[] ToStrings(RawColumnData raw) => raw switch
    {
        RawColumnData<ReadOnlyMemory<char>> text => [.. text.Values.ToArray().Select(v => v.ToString())],
        RawColumnData<long> numbers => [.. numbers.Values.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture))],
        RawColumnData<int> numbers => [.. numbers.Values.ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture))],
        _ => throw new InvalidDataException($"unexpected column data {raw.GetType().Name}"),
    };

    private static ReadResult<UserQuery> Fail(string path, long row, string reason, string? itemId = null)
        => ReadResult<UserQuery>.Fail(QuarantineEntry.ForInput(StageNames.ReadQueries, path, row, reason, itemId));

    private readonly record struct Cell(string? Value, string? Error);

    private sealed record RowContext(string Path, string FileName, string DefaultSource);
}
