using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Tests.Support;
using static WildLong.Core.Tests.Queries.InputFixtures;

namespace WildLong.Core.Tests.Documents;

public class TextFolderDocumentReaderTests
{
    private static readonly IOptions<DocumentOptions> Defaults = Options.Create(new DocumentOptions());

    [Fact]
    public async Task Reads_txt_and_md_files_with_relative_ids_and_first_line_titles()
    {
        using var temp = TestData.CreateTempDirectory();
        Directory.CreateDirectory(temp.File("papers"));
        await File.WriteAllTextAsync(temp.File("papers/b.md"), "\n\n  # A Markdown Title  \nbody");
        await File.WriteAllBytesAsync(temp.File("a.txt"), [0xEF, 0xBB, 0xBF, .. Utf8("Plain title\r\nsecond line")]);
        await File.WriteAllTextAsync(temp.File("image.png"), "not a document");

        var (ok, errors) = await SplitAsync(new TextFolderDocumentReader(Defaults).ReadAsync(temp.Path));

        Assert.Empty(errors);
        Assert.Equal(["a.txt", "papers/b.md"], ok.Select(d => d.Id));
        Assert.Equal(["Plain title", "# A Markdown Title"], ok.Select(d => d.Title));
        Assert.Equal("Plain title\r\nsecond line", ok[0].Text);
        Assert.Equal(temp.File("a.txt"), ok[0].Origin);
        Assert.All(ok, d => Assert.Equal(Path.GetFileName(temp.Path), d.Source));
    }

    [Fact]
    public async Task Real_documents_written_as_text_files_read_back_unchanged()
    {
        using var temp = TestData.CreateTempDirectory();
        var (real, _) = await SplitAsync(new JsonlDocumentReader(Defaults).ReadAsync(TestData.DocumentsJsonl));
        foreach (var document in real.Take(5))
        {
            await File.WriteAllTextAsync(temp.File(document.Id + ".txt"), document.Text, Utf8NoBom);
        }

        var (ok, errors) = await SplitAsync(new TextFolderDocumentReader(Defaults).ReadAsync(temp.Path));

        Assert.Empty(errors);
        var expected = real.Take(5).OrderBy(d => d.Id + ".txt", StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(d => d.Id + ".txt"), ok.Select(d => d.Id));
        Assert.Equal(expected.Select(d => d.Text), ok.Select(d => d.Text));
    }

    [Fact]
    public async Task Empty_non_utf8_and_oversized_files_are_quarantined()
    {
        using var temp = TestData.CreateTempDirectory();
        await File.WriteAllTextAsync(temp.File("1-good.txt"), "Good\ntext");
        await File.WriteAllTextAsync(temp.File("2-empty.txt"), "  \n ");
        await File.WriteAllBytesAsync(temp.File("3-latin1.txt"), [.. Utf8("caf"), 0xE9]);
        await File.WriteAllTextAsync(temp.File("4-big.md"), new string('x', 2000));
        var options = Options.Create(new DocumentOptions { MaxDocumentBytes = 1000 });

        var (ok, errors) = await SplitAsync(new TextFolderDocumentReader(options).ReadAsync(temp.Path));

        Assert.Equal(["1-good.txt"], ok.Select(d => d.Id));
        Assert.Equal(["2-empty.txt", "3-latin1.txt", "4-big.md"], errors.Select(e => e.ItemId));
        Assert.Contains("empty", errors[0].Reason, StringComparison.Ordinal);
        Assert.StartsWith("invalid UTF-8", errors[1].Reason, StringComparison.Ordinal);
        Assert.Contains("2000 bytes", errors[2].Reason, StringComparison.Ordinal);
        Assert.All(errors, e => Assert.Equal("read-documents", e.Stage));
    }

    [Fact]
    public async Task Missing_folder_is_one_error()
    {
        var error = Assert.Single(await ToListAsync(new TextFolderDocumentReader(Defaults).ReadAsync("/no/such/folder"))).Error;

        Assert.NotNull(error);
        Assert.Contains("no such folder", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Document_reader_facade_mixes_jsonl_and_text_files_and_rejects_unknown_types()
    {
        using var temp = TestData.CreateTempDirectory();
        File.Copy(TestData.DocumentsJsonl, temp.File("corpus.jsonl"));
        await File.WriteAllTextAsync(temp.File("a-note.md"), "Note title\nbody");
        await File.WriteAllTextAsync(temp.File("table.csv"), "a,b");
        var reader = new DocumentReader(Defaults);

        var (ok, errors) = await SplitAsync(reader.ReadAsync(temp.Path));
        var single = Assert.Single(await ToListAsync(reader.ReadAsync(temp.File("a-note.md"))));
        var unknown = Assert.Single(await ToListAsync(reader.ReadAsync(temp.File("table.csv"))));

        Assert.Empty(errors);
        Assert.Equal(20, ok.Count);
        Assert.Equal("a-note.md", ok[0].Id);
        Assert.Equal("cuad-005", ok[6].Id);
        Assert.Equal("a-note.md", single.Value?.Id);
        Assert.Contains("unsupported file type '.csv'", unknown.Error?.Reason, StringComparison.Ordinal);
    }
}
