using System.Text.Json;
using Microsoft.Extensions.Options;
using WildLong.Core.Queries;
using WildLong.Core.Tests.Support;
using static WildLong.Core.Tests.Queries.InputFixtures;

namespace WildLong.Core.Tests.Queries;

public class JsonlQueryReaderTests
{
    private static JsonlQueryReader Reader(QueryReaderOptions? options = null) => new(Options.Create(options ?? new QueryReaderOptions()));

    private static async Task<(List<UserQuery> Ok, List<Common.QuarantineEntry> Errors)> ReadTextAsync(string content, string name = "q.jsonl")
        => await SplitAsync(Reader().ReadAsync(new MemoryStream(Utf8(content)), name));

    [Fact]
    public async Task Reads_the_real_sample_exactly()
    {
        var expected = File.ReadLines(TestData.QueriesJsonl)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (Id: e.GetProperty("id").GetString(), Text: e.GetProperty("text").GetString(), Source: e.GetProperty("source").GetString()))
            .ToList();

        var (ok, errors) = await SplitAsync(Reader().ReadAsync(TestData.QueriesJsonl));

        Assert.Empty(errors);
        Assert.Equal(200, ok.Count);
        Assert.Equal(expected.Select(e => e.Id), ok.Select(q => q.Id));
        Assert.Equal(expected.Select(e => e.Text), ok.Select(q => q.Text));
        Assert.Equal(expected.Select(e => e.Source), ok.Select(q => q.Source));
        Assert.Equal($"{TestData.QueriesJsonl}:1", ok[0].Origin);
        Assert.Equal($"{TestData.QueriesJsonl}:200", ok[^1].Origin);
    }

    [Fact]
    public async Task Empty_file_yields_nothing()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("empty.jsonl");
        await File.WriteAllBytesAsync(path, []);

        Assert.Empty(await ToListAsync(Reader().ReadAsync(path)));
    }

    [Fact]
    public async Task Missing_file_is_one_error()
    {
        var results = await ToListAsync(Reader().ReadAsync("/nonexistent/queries.jsonl"));

        var error = Assert.Single(results).Error;
        Assert.NotNull(error);
        Assert.Equal("read-queries", error.Stage);
    }

    [Fact]
    public async Task WildChat_conversation_layout_takes_the_first_user_turn()
    {
        var (ok, errors) = await ReadTextAsync("""
            {"conversation_hash": "abc123", "language": "German", "conversation": [{"role": "system", "content": "be nice"}, {"role": "user", "content": "Hallo, wie geht's?"}, {"role": "assistant", "content": "Gut."}, {"role": "user", "content": "second"}]}
            {"conversation_id": 42, "conversation": [{"role": "user", "content": "by id"}]}
            {"conversation": [{"role": "user", "content": "no id"}], "language": null}
            """, "wildchat.jsonl");

        Assert.Empty(errors);
        Assert.Equal(3, ok.Count);
        Assert.Equal(new UserQuery("abc123", "Hallo, wie geht's?", "wildchat", "German", "wildchat.jsonl:1"), ok[0]);
        Assert.Equal("42", ok[1].Id);
        Assert.Equal("wildchat.jsonl:3", ok[2].Id);
        Assert.Null(ok[2].Language);
    }

    [Fact]
    public async Task Flat_prompt_field_is_accepted()
    {
        var (ok, errors) = await ReadTextAsync("""{"prompt": "write me terms & conditions", "model": "gpt-4"}""", "mcp.jsonl");

        Assert.Empty(errors);
        var query = Assert.Single(ok);
        Assert.Equal("write me terms & conditions", query.Text);
        Assert.Equal("mcp.jsonl:1", query.Id);
        Assert.Equal("mcp", query.Source);
    }

    [Fact]
    public async Task Bad_lines_are_quarantined_with_line_and_reason_and_good_lines_survive()
    {
        var lines = new[]
        {
            """{"id": "good-1", "text": "hello", "source": "wildchat"}""",            // 1
            """{"id": "no-text", "source": "wildchat"}""",                           // 2 missing field
            """{"id": "num-text", "text": 42}""",                                    // 3 wrong type
            """{"id": "empty", "text": "   "}""",                                    // 4 empty text
            """{"conversation": [{"role": "assistant", "content": "hi"}]}""",        // 5 no user turn
            """{"conversation": "not a list"}""",                                    // 6 wrong type
            """{"conversation": [{"role": "user", "content": null}]}""",             // 7 null content
            """{"id": "lang", "text": "x", "language": 5}""",                        // 8 wrong type (optional field)
            """not json at all""",                                                   // 9 invalid JSON
            """[1, 2, 3]""",                                                         // 10 not an object
            """{"id": "good-2", "text": "world"}""",                                 // 11
            """{"id": "cut", "text": "this line was trunc""",                        // 12 truncated final line
        };

        var (ok, errors) = await ReadTextAsync(string.Join('\n', lines));

        Assert.Equal(["good-1", "good-2"], ok.Select(q => q.Id));
        Assert.Equal([2L, 3, 4, 5, 6, 7, 8, 9, 10, 12], errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.Equal("read-queries", e.Stage));
        Assert.All(errors, e => Assert.Equal("q.jsonl", e.Source));
        Assert.Contains("missing field 'text'", errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("'text' must be a string", errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("empty", errors[2].Reason, StringComparison.Ordinal);
        Assert.Contains("no user turn", errors[3].Reason, StringComparison.Ordinal);
        Assert.Contains("'conversation' must be an array", errors[4].Reason, StringComparison.Ordinal);
        Assert.Contains("'content'", errors[5].Reason, StringComparison.Ordinal);
        Assert.Contains("'language' must be a string", errors[6].Reason, StringComparison.Ordinal);
        Assert.Contains("invalid JSON", errors[7].Reason, StringComparison.Ordinal);
        Assert.Contains("expected a JSON object", errors[8].Reason, StringComparison.Ordinal);
        Assert.Contains("invalid JSON", errors[9].Reason, StringComparison.Ordinal);
        Assert.Equal("empty", errors[2].ItemId);
    }

    [Fact]
    public async Task Non_utf8_bytes_are_reported_with_byte_offset()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("latin1.jsonl");
        var first = Utf8("{\"id\": \"a\", \"text\": \"ok\"}\n");
        var prefix = Utf8("{\"id\": \"b\", \"text\": \"caf");
        await File.WriteAllBytesAsync(path, [.. first, .. prefix, 0xE9, .. Utf8("\"}\n{\"id\": \"c\", \"text\": \"fine\"}\n")]);

        var (ok, errors) = await SplitAsync(Reader().ReadAsync(path));

        Assert.Equal(["a", "c"], ok.Select(q => q.Id));
        var error = Assert.Single(errors);
        Assert.Equal(path, error.Source);
        Assert.Equal(2, error.Line);
        Assert.StartsWith("invalid UTF-8", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("offset", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_50_MB_line_is_quarantined_and_the_lines_after_it_are_read()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("huge.jsonl");
        WriteWithHugeLine(path, "{\"id\": \"before\", \"text\": \"a\"}\n", 50L * 1024 * 1024, "{\"id\": \"after\", \"text\": \"b\"}\n");

        var (ok, errors) = await SplitAsync(Reader().ReadAsync(path));

        Assert.Equal(["before", "after"], ok.Select(q => q.Id));
        var error = Assert.Single(errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("longer than the maximum of 16777216 bytes", error.Reason, StringComparison.Ordinal);
    }
}
