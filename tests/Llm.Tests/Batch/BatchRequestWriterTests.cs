using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using WildLong.Llm.Batch;

namespace WildLong.Llm.Tests.Batch;

/// <summary>Batch input files: the line format, UTF-8 without BOM, splitting by lines and by bytes, unique ids.</summary>
public sealed class BatchRequestWriterTests : IDisposable
{
    private static readonly JsonElement Schema = JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""").RootElement;

    private readonly string directory = Directory.CreateTempSubdirectory("wildlong-batch-writer-").FullName;

    [Fact]
    public async Task Each_line_is_a_chat_request_with_custom_id_method_url_and_body()
    {
        var writer = Writer(new GlobalBatchOptions { Endpoint = "/chat/completions" });
        var request = Request("q-1", "Résumé du bail ✓") with { ResponseFormat = ChatResponseFormat.ForJsonSchema(Schema, "answer"), Seed = 9, Temperature = 0.5f };

        var file = Assert.Single(await writer.WriteAsync([request, Request("q-2", "Plain text please")], directory, "req", CancellationToken.None));
        var lines = await File.ReadAllLinesAsync(file.Path);

        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        var root = first.RootElement;
        Assert.Equal("q-1", root.GetProperty("custom_id").GetString());
        Assert.Equal("POST", root.GetProperty("method").GetString());
        Assert.Equal("/chat/completions", root.GetProperty("url").GetString());
        var body = root.GetProperty("body");
        Assert.Equal("gpt-4o-mini", body.GetProperty("model").GetString());
        Assert.Equal(150, body.GetProperty("max_tokens").GetInt32());
        Assert.Equal(9, body.GetProperty("seed").GetInt64());
        Assert.Equal("system", body.GetProperty("messages")[0].GetProperty("role").GetString());
        Assert.Equal("Résumé du bail ✓", body.GetProperty("messages")[1].GetProperty("content").GetString());
        var format = body.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.True(format.GetProperty("json_schema").GetProperty("strict").GetBoolean());
        Assert.True(JsonElement.DeepEquals(Schema, format.GetProperty("json_schema").GetProperty("schema")));
        using var second = JsonDocument.Parse(lines[1]);
        Assert.False(second.RootElement.GetProperty("body").TryGetProperty("response_format", out _));
    }

    [Fact]
    public async Task Files_are_UTF8_without_BOM_and_their_reported_sizes_are_exact()
    {
        var writer = Writer(new GlobalBatchOptions());

        var file = Assert.Single(await writer.WriteAsync([Request("a", "Ärger über Öl"), Request("b", "東京の契約")], directory, "req", CancellationToken.None));
        var bytes = await File.ReadAllBytesAsync(file.Path);

        Assert.NotEqual(0xEF, bytes[0]);
        Assert.Equal((byte)'{', bytes[0]);
        Assert.Equal(bytes.Length, file.Bytes);
        Assert.Equal((byte)'\n', bytes[^1]);
        Assert.Contains("東京の契約", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_file_starts_when_the_line_limit_is_reached()
    {
        var writer = Writer(new GlobalBatchOptions { MaxLinesPerFile = 3 });
        var requests = Enumerable.Range(0, 7).Select(i => Request($"r{i}", $"Question {i}")).ToList();

        var files = await writer.WriteAsync(requests, directory, "req", CancellationToken.None);

        Assert.Equal([3, 3, 1], files.Select(f => f.LineCount));
        Assert.Equal(files.Select(f => f.LineCount), files.Select(f => File.ReadAllLines(f.Path).Length));
        Assert.Equal(requests.Select(r => r.CustomId), files.SelectMany(f => f.CustomIds));
        Assert.Equal(["req-0001.jsonl", "req-0002.jsonl", "req-0003.jsonl"], files.Select(f => Path.GetFileName(f.Path)));
    }

    [Fact]
    public async Task A_new_file_starts_before_the_byte_limit_would_be_exceeded()
    {
        var requests = Enumerable.Range(0, 10).Select(i => Request($"r{i}", new string('x', 100 + i))).ToList();
        var lineBytes = requests.Select(r => Encoding.UTF8.GetByteCount(BatchRequestWriter.ToJsonLine(r, "/chat/completions")) + 1).ToList();
        var limit = lineBytes.Max() * 3 + 10;
        var writer = Writer(new GlobalBatchOptions { MaxBytesPerFile = limit });

        var files = await writer.WriteAsync(requests, directory, "req", CancellationToken.None);

        Assert.True(files.Count >= 4);
        Assert.All(files, f => Assert.True(new FileInfo(f.Path).Length <= limit));
        Assert.All(files.SkipLast(1).Zip(files.Skip(1)), pair =>
        {
            var nextFirstLine = lineBytes[requests.FindIndex(r => r.CustomId == pair.Second.CustomIds[0])];
            Assert.True(pair.First.Bytes + nextFirstLine > limit, "a file was closed although the next line still fitted");
        });
        Assert.Equal(requests.Select(r => r.CustomId), files.SelectMany(f => f.CustomIds));
    }

    [Fact]
    public async Task Duplicate_ids_oversized_lines_and_missing_max_tokens_are_refused()
    {
        var writer = Writer(new GlobalBatchOptions { MaxBytesPerFile = 400 });

        var duplicate = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync([Request("same", "a"), Request("same", "b")], directory, "dup", CancellationToken.None));
        var oversized = await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync([Request("big", new string('y', 1_000))], directory, "big", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => writer.WriteAsync([Request("zero", "a") with { MaxOutputTokens = 0 }], directory, "zero", CancellationToken.None));

        Assert.Contains("same", duplicate.Message, StringComparison.Ordinal);
        Assert.Contains("big", oversized.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static BatchRequestWriter Writer(GlobalBatchOptions options) => new(Options.Create(options));

    private static BatchRequest Request(string id, string question) => new()
    {
        CustomId = id,
        Model = "gpt-4o-mini",
        Messages = [new ChatMessage(ChatRole.System, "Answer briefly."), new ChatMessage(ChatRole.User, question)],
        MaxOutputTokens = 150,
    };
}
