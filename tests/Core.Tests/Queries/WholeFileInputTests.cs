using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Queries;
using WildLong.Core.Tests.Support;
using static WildLong.Core.Tests.Queries.InputFixtures;

namespace WildLong.Core.Tests.Queries;

/// <summary>
/// Whole-file formats of issue 13 read as what they are, with the real sample queries: a JSON array (in .json or
/// .jsonl, one line or pretty-printed), UTF-16 and UTF-32 with a byte order mark, gzip (also of UTF-16), every one
/// giving exactly the queries of the plain JSONL; a broken array keeps what came before the break; a binary file gives
/// one kind of rejection; duplicate ids and unreadable files in a folder are surveyed.
/// </summary>
public sealed class WholeFileInputTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly List<JsonElement> Rows = [.. File.ReadLines(TestData.QueriesJsonl).Select(l => JsonDocument.Parse(l).RootElement)];

    public static TheoryData<string> Formats => ["array.json", "array.jsonl", "pretty-array.json", "utf16le.jsonl", "utf16be.jsonl", "utf32.jsonl", "plain.jsonl.gz", "utf16.jsonl.gz"];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task A_whole_file_format_gives_the_same_queries_as_plain_jsonl(string name)
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File(name);
        await File.WriteAllBytesAsync(path, Encode(name));
        var reader = new QueryReader(Options.Create(new QueryReaderOptions()));

        var (expected, _) = await SplitAsync(reader.ReadAsync(TestData.QueriesJsonl));
        var (ok, errors) = await SplitAsync(reader.ReadAsync(path));

        Assert.Empty(errors);
        Assert.Equal(expected.Select(q => (q.Id, q.Text)), ok.Select(q => (q.Id, q.Text)));
    }

    [Fact]
    public async Task A_broken_array_keeps_the_records_before_the_break_and_says_where_it_broke()
    {
        var text = "[" + string.Join(",", Rows.Take(3).Select(r => r.GetRawText())) + ", {\"id\": \"x\", \"text\": ";
        var reader = new JsonlQueryReader(Options.Create(new QueryReaderOptions()));

        var (ok, errors) = await SplitAsync(reader.ReadAsync(new MemoryStream(Utf8(text)), "broken.json"));

        Assert.Equal(3, ok.Count);
        var error = Assert.Single(errors);
        Assert.Contains("JSON array breaks after element 3", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePosition", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binary_file_gives_few_kinds_of_rejection_without_offsets()
    {
        var bytes = new byte[100_000];
        new Random(13).NextBytes(bytes);
        var reader = new JsonlQueryReader(Options.Create(new QueryReaderOptions()));

        var survey = await InputSurvey.TakeAsync(reader.ReadAsync(new MemoryStream(bytes), "binary.jsonl"), q => q.Id);

        Assert.Equal(0, survey.Read);
        Assert.True(survey.Rejected > 100, $"{survey.Rejected} rejections");
        Assert.InRange(survey.RejectionsByReason.Count, 1, 3);
        Assert.All(survey.RejectionsByReason, r => Assert.DoesNotContain("offset", r.Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Duplicate_ids_and_unreadable_files_are_surveyed()
    {
        using var temp = TestData.CreateTempDirectory();
        var lines = Rows.Take(10).Select((r, i) => i < 4 ? Reid(r, "same") : r.GetRawText());
        var reader = new JsonlQueryReader(Options.Create(new QueryReaderOptions()));
        await File.WriteAllTextAsync(temp.File("notes.txt"), "a note");
        await File.WriteAllBytesAsync(temp.File("paper.pdf"), Utf8("%PDF-1.4"));
        await File.WriteAllBytesAsync(temp.File("memo.docx"), Utf8("PK"));
        await File.WriteAllTextAsync(temp.File(".hidden"), "x");

        var survey = await InputSurvey.TakeAsync(reader.ReadAsync(new MemoryStream(Utf8(string.Join('\n', lines))), "dup.jsonl"), q => q.Id);
        var unreadable = InputSurvey.UnreadableFiles(temp.Path, [.. DocumentReader.JsonlExtensions, .. TextFolderDocumentReader.TextExtensions]);

        Assert.Equal(10, survey.Read);
        Assert.Equal(3, survey.DuplicateIds);
        Assert.Equal(["same"], survey.DuplicateExamples);
        Assert.Equal(["memo.docx", "paper.pdf"], unreadable);
    }

    [Fact]
    public async Task Text_documents_in_utf16_and_gzip_are_read()
    {
        using var temp = TestData.CreateTempDirectory();
        const string Text = "A lease between the landlord and the tenant. Rent is due on the first day of each month — naïve café.";
        await File.WriteAllBytesAsync(temp.File("a-utf16.txt"), [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(Text)]);
        await File.WriteAllBytesAsync(temp.File("b.txt.gz"), Gzip(Utf8(Text)));
        await File.WriteAllBytesAsync(temp.File("c-utf32.md"), [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(Text)]);

        var (ok, errors) = await SplitAsync(new DocumentReader(Options.Create(new DocumentOptions())).ReadAsync(temp.Path));

        Assert.Empty(errors);
        Assert.Equal(3, ok.Count);
        Assert.All(ok, d => Assert.Equal(Text, d.Text));
    }

    private static string Reid(JsonElement row, string id)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(row.GetRawText())!;
        values["id"] = JsonSerializer.SerializeToElement(id);
        return JsonSerializer.Serialize(values);
    }

    private static byte[] Encode(string name)
    {
        var jsonl = string.Concat(Rows.Select(r => r.GetRawText() + "\n"));
        return name switch
        {
            "array.json" or "array.jsonl" => Utf8("[" + string.Join(",", Rows.Select(r => r.GetRawText())) + "]"),
            "pretty-array.json" => Utf8(JsonSerializer.Serialize(Rows, Indented)),
            "utf16le.jsonl" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(jsonl)],
            "utf16be.jsonl" => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(jsonl)],
            "utf32.jsonl" => [.. Encoding.UTF32.GetPreamble(), .. Encoding.UTF32.GetBytes(jsonl)],
            "plain.jsonl.gz" => Gzip(Utf8(jsonl)),
            "utf16.jsonl.gz" => Gzip([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(jsonl)]),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }
}
