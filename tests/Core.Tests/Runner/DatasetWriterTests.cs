using System.Text.Json;
using Parquet;
using WildLong.Core.Common;
using WildLong.Core.Generation;
using WildLong.Core.Runner;
using WildLong.Core.Tests.Generation;
using WildLong.Core.Tests.Reports;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Runner;

/// <summary>
/// The dataset writer streams the pairs: <c>pairs.parquet</c> is written from <c>pairs.jsonl</c> a row group at a
/// time (by rows and by characters of messages), and a host that wrote <c>pairs.jsonl</c> itself gets the rest of the
/// folder written around it, with the file checked against the records it reports.
/// </summary>
public class DatasetWriterTests
{
    [Fact]
    public async Task Parquet_holds_every_pair_in_order_in_row_groups_of_at_most_a_thousand_rows()
    {
        using var temp = TestData.CreateTempDirectory();
        var records = Enumerable.Range(0, 2_300).Select(i => TrainingRecordJsonlTests.Record($"r{i:D4}", $"Summarize part {i}.")).ToList();

        await DatasetWriter.WriteAsync(temp.Path, HandMadeDataset.Result() with { Records = records }, HandMadeDataset.Extras(), new(null), CancellationToken.None);

        var (groups, rows) = await ReadParquetAsync(Path.Combine(temp.Path, "pairs.parquet"));
        Assert.Equal(3, groups);
        Assert.Equal(records.Select(r => r.Meta.Id), rows.Select(r => r.Id));
        Assert.Equal(JsonSerializer.Serialize(records[2_299].Messages, WildLongJson.Options), rows[2_299].Messages);
        Assert.Equal(records[1_000].Messages[^1].Content, rows[1_000].Response);
    }

    [Fact]
    public async Task A_row_group_closes_once_its_messages_pass_the_character_budget()
    {
        using var temp = TestData.CreateTempDirectory();
        var third = (int)(TrainingRecordParquet.RowGroupChars / 3) + 1; // three such pairs pass the budget
        var records = Enumerable.Range(0, 4).Select(i => WithAnswer(TrainingRecordJsonlTests.Record($"big{i}", "Summarize."), new string((char)('a' + i), third))).ToList();

        await DatasetWriter.WriteAsync(temp.Path, HandMadeDataset.Result() with { Records = records }, HandMadeDataset.Extras(), new(null), CancellationToken.None);

        var (groups, rows) = await ReadParquetAsync(Path.Combine(temp.Path, "pairs.parquet"));
        Assert.Equal(2, groups);
        Assert.Equal(["big0", "big1", "big2", "big3"], rows.Select(r => r.Id));
        Assert.Equal(records[3].Messages[^1].Content, rows[3].Response);
    }

    [Fact]
    public async Task The_folder_is_written_around_a_pairs_file_the_host_wrote_and_the_records_need_only_their_meta()
    {
        using var temp = TestData.CreateTempDirectory();
        var full = new[] { TrainingRecordJsonlTests.Record("a", "Summarize."), TrainingRecordJsonlTests.Record("b", "Compare.", TaskKind.Comparison) };
        await TrainingRecordJsonl.WriteAsync(Path.Combine(temp.Path, DatasetWriter.PairsFileName), full, append: false, CancellationToken.None);
        var written = await File.ReadAllBytesAsync(Path.Combine(temp.Path, DatasetWriter.PairsFileName));
        var headers = full.Select(r => new TrainingRecord([], r.Meta)).ToList();

        await DatasetWriter.WriteAroundPairsAsync(temp.Path, HandMadeDataset.Result() with { Records = headers }, HandMadeDataset.Extras(), new(null), CancellationToken.None);

        Assert.Equal(written, await File.ReadAllBytesAsync(Path.Combine(temp.Path, DatasetWriter.PairsFileName)));
        var (_, rows) = await ReadParquetAsync(Path.Combine(temp.Path, "pairs.parquet"));
        Assert.Equal(full.Select(r => r.Messages[^1].Content), rows.Select(r => r.Response));
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(temp.Path, "manifest.json")));
        Assert.Equal(2, manifest.RootElement.GetProperty("pairs").GetInt32());
        Assert.Equal(1, manifest.RootElement.GetProperty("task_kinds").GetProperty("Comparison").GetInt32());
    }

    [Fact]
    public async Task A_pairs_file_that_does_not_hold_the_records_is_refused_with_its_path()
    {
        using var temp = TestData.CreateTempDirectory();
        var full = new[] { TrainingRecordJsonlTests.Record("a", "Summarize."), TrainingRecordJsonlTests.Record("b", "Compare.") };
        var path = Path.Combine(temp.Path, DatasetWriter.PairsFileName);
        await TrainingRecordJsonl.WriteAsync(path, full, append: false, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => DatasetWriter.WriteAroundPairsAsync(
            temp.Path, HandMadeDataset.Result(), HandMadeDataset.Extras(), new(null), CancellationToken.None));

        Assert.Equal($"{path}: 2 pairs, but the run kept 3", error.Message);
    }

    private static TrainingRecord WithAnswer(TrainingRecord record, string answer)
        => record with { Messages = [record.Messages[0], new TrainingMessage(TrainingMessage.AssistantRole, answer)] };

    private static async Task<(int Groups, IReadOnlyList<TrainingRecordParquetRow> Rows)> ReadParquetAsync(string path)
    {
        await using var stream = File.OpenRead(path);
        await using (var reader = await ParquetReader.CreateAsync(stream))
        {
            stream.Position = 0;
            return (reader.RowGroupCount, await TrainingRecordParquet.ReadRowsAsync(stream, CancellationToken.None));
        }
    }
}
