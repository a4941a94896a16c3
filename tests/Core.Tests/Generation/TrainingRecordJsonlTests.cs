using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Generation;

public class TrainingRecordJsonlTests
{
    internal static TrainingRecord Record(string id, string instruction, TaskKind kind = TaskKind.SingleDocument) => new(
        [
            new TrainingMessage("user", "Document: Título «quoted» \"x\"\n\nLine one\r\nLine two\t✓\n\n" + instruction),
            new TrainingMessage("assistant", "Answer with emoji 🚀 and </script> and \\ backslash."),
        ],
        new TrainingRecordMeta(
            id, "legal_contract", kind, "legal_contract|task=summary", 42,
            [new PathStep("task", "summary"), new PathStep("audience", "lawyers")],
            ["cuad-005", "cuad-002"], ["short", "long"],
            "Summarize the document.", instruction, 12_345, 678, "gpt-4o-mini", ulong.MaxValue - 1,
            ["instruction-writing@3", "instruction-adaptation@2+override.ab12cd34", "response-generation@2", "quality-judge@2"],
            new JudgeVerdict(true, true, 5, "Fine.")));

    [Fact]
    public async Task Records_round_trip_through_jsonl_exactly()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("out/records.jsonl");
        var records = new[] { Record("r1", "Summarize the termination clause."), Record("r2", "Compare these documents.", TaskKind.Comparison) };

        await TrainingRecordJsonl.WriteAsync(path, records, append: false, CancellationToken.None);
        var read = new List<TrainingRecord>();
        await foreach (var result in TrainingRecordJsonl.ReadAsync(path, CancellationToken.None))
        {
            Assert.Null(result.Error);
            read.Add(result.Value!);
        }

        Assert.Equal(records.Select(TrainingRecordJsonl.Serialize), read.Select(TrainingRecordJsonl.Serialize));
        Assert.Equal(records[1].Messages, read[1].Messages);
        Assert.Equal(records[1].Meta.Path, read[1].Meta.Path);
        Assert.Equal(records[1].Meta.Judge, read[1].Meta.Judge);
        Assert.Equal(TaskKind.Comparison, read[1].Meta.TaskKind);
        Assert.Equal(ulong.MaxValue - 1, read[1].Meta.Seed);

        var rewritten = temp.File("rewritten.jsonl");
        await TrainingRecordJsonl.WriteAsync(rewritten, read, append: false, CancellationToken.None);
        Assert.Equal(await File.ReadAllBytesAsync(path), await File.ReadAllBytesAsync(rewritten));
    }

    [Fact]
    public void The_line_format_is_chat_messages_plus_snake_case_meta()
    {
        var line = TrainingRecordJsonl.Serialize(Record("r1", "Do it."));

        Assert.DoesNotContain('\n', line);
        using (var json = System.Text.Json.JsonDocument.Parse(line))
        {
            Assert.Equal(["messages", "meta"], json.RootElement.EnumerateObject().Select(p => p.Name));
        }

        Assert.StartsWith("{\"messages\":[{\"role\":\"user\",\"content\":\"Document: Título «quoted» \\\"x\\\"", line, StringComparison.Ordinal);
        Assert.Contains("\"meta\":{\"id\":\"r1\",\"document_type\":\"legal_contract\",\"task_kind\":\"single_document\"", line, StringComparison.Ordinal);
        Assert.Contains("\"prompt_versions\":[\"instruction-writing@3\"", line, StringComparison.Ordinal);
        Assert.Contains("\"path\":[{\"field\":\"task\",\"value\":\"summary\"}", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_lines_are_reported_with_file_and_line_and_reading_continues()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("mixed.jsonl");
        await File.WriteAllLinesAsync(path,
        [
            TrainingRecordJsonl.Serialize(Record("r1", "One.")),
            "{\"messages\": [",
            "",
            "{\"messages\": [], \"meta\": null}",
            "null",
            TrainingRecordJsonl.Serialize(Record("r2", "Two.")),
        ]);

        var results = new List<Common.ReadResult<TrainingRecord>>();
        await foreach (var result in TrainingRecordJsonl.ReadAsync(path, CancellationToken.None))
        {
            results.Add(result);
        }

        Assert.Equal(["r1", "r2"], results.Where(r => r.IsSuccess).Select(r => r.Value!.Meta.Id));
        var errors = results.Where(r => !r.IsSuccess).Select(r => r.Error!).ToList();
        Assert.Equal([2L, 4L, 5L], errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.Equal(path, e.Source));
        Assert.StartsWith("invalid JSON", errors[0].Reason, StringComparison.Ordinal);
        Assert.Equal("the record has no messages", errors[1].Reason);
        Assert.Equal("the line is JSON null", errors[2].Reason);
    }
}
