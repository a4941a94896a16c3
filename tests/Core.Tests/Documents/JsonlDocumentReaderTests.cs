using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Tests.Support;
using static WildLong.Core.Tests.Queries.InputFixtures;

namespace WildLong.Core.Tests.Documents;

public class JsonlDocumentReaderTests
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static JsonlDocumentReader Reader() => new(Options.Create(new DocumentOptions()));

    [Fact]
    public async Task Reads_the_real_sample_with_license_and_compact_origin()
    {
        var expected = File.ReadLines(TestData.DocumentsJsonl).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();

        var (ok, errors) = await SplitAsync(Reader().ReadAsync(TestData.DocumentsJsonl));

        Assert.Empty(errors);
        Assert.Equal(19, ok.Count);
        for (var i = 0; i < ok.Count; i++)
        {
            var e = expected[i];
            var d = ok[i];
            Assert.Equal((string?)e["id"], d.Id);
            Assert.Equal((string?)e["title"], d.Title);
            Assert.Equal((string?)e["text"], d.Text);
            Assert.Equal((string?)e["source"], d.Source);
            Assert.Equal((string?)e["doc_type_hint"], d.DocTypeHint);
            Assert.Equal((string?)e["license"], d.License);
            Assert.NotNull(d.Origin);
            // Compact: rewriting it without indentation changes nothing.
            Assert.Equal(JsonNode.Parse(d.Origin)!.ToJsonString(Compact), d.Origin);
            Assert.True(JsonNode.DeepEquals(e["origin"], JsonNode.Parse(d.Origin)), $"origin of {d.Id} changed");
        }
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
    public async Task Bad_lines_are_quarantined_and_good_lines_survive()
    {
        var lines = new[]
        {
            """{"id": "d1", "title": "One", "text": "first document", "origin": "somewhere"}""", // 1
            """{"title": "no id", "text": "x"}""",                                                 // 2 missing id
            """{"id": "d3", "title": "no text"}""",                                                // 3 missing text
            """{"id": "d4", "text": ["not", "a", "string"]}""",                                    // 4 wrong type
            """{"id": "d5", "text": "x", "doc_type_hint": 7}""",                                   // 5 wrong type
            """{"id": "d6", "text": "\n\n  "}""",                                                  // 6 empty text
            """{"id": "d7", "text": "Untitled\nbody", "license": null}""",                         // 7 ok, title derived
            """{"id": "d8", "text": "cut off""",                                                   // 8 truncated
        };

        var (ok, errors) = await SplitAsync(Reader().ReadAsync(new MemoryStream(Utf8(string.Join("\r\n", lines))), "docs.jsonl"));

        Assert.Equal(["d1", "d7"], ok.Select(d => d.Id));
        Assert.Equal("somewhere", ok[0].Origin);
        Assert.Equal("Untitled", ok[1].Title);
        Assert.Equal("docs.jsonl:7", ok[1].Origin);
        Assert.Equal("docs", ok[1].Source);
        Assert.Equal([2L, 3, 4, 5, 6, 8], errors.Select(e => e.Line));
        Assert.All(errors, e => Assert.Equal("read-documents", e.Stage));
        Assert.Contains("missing field 'id'", errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("missing field 'text'", errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("'text' must be a string, got array", errors[2].Reason, StringComparison.Ordinal);
        Assert.Contains("'doc_type_hint' must be a string", errors[3].Reason, StringComparison.Ordinal);
        Assert.Contains("empty", errors[4].Reason, StringComparison.Ordinal);
        Assert.Contains("invalid JSON", errors[5].Reason, StringComparison.Ordinal);
        Assert.Equal("d3", errors[1].ItemId);
    }

    [Fact]
    public async Task Non_utf8_and_oversized_lines_are_reported_and_skipped()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("docs.jsonl");
        WriteWithHugeLine(path, "{\"id\": \"a\", \"text\": \"fine\"}\n", 50L * 1024 * 1024, string.Empty);
        var prefix = Utf8("{\"id\": \"b\", \"text\": \"");
        var offset = new FileInfo(path).Length + prefix.Length;
        await using (var append = new FileStream(path, FileMode.Append))
        {
            append.Write([.. prefix, 0xFF, 0xFE, .. Utf8("\"}\n{\"id\": \"c\", \"text\": \"also fine\"}")]);
        }

        var (ok, errors) = await SplitAsync(Reader().ReadAsync(path));

        Assert.Equal(["a", "c"], ok.Select(d => d.Id));
        Assert.Equal([2L, 3], errors.Select(e => e.Line));
        Assert.Contains("longer than the maximum", errors[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("invalid UTF-8", errors[1].Reason, StringComparison.Ordinal);
    }
}
