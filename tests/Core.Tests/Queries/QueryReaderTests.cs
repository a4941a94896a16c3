using Microsoft.Extensions.Options;
using Parquet.Serialization;
using WildLong.Core.Queries;
using WildLong.Core.Tests.Support;
using static WildLong.Core.Tests.Queries.InputFixtures;

namespace WildLong.Core.Tests.Queries;

public class QueryReaderTests
{
    private static QueryReader Reader() => new(Options.Create(new QueryReaderOptions()));

    [Fact]
    public async Task Folder_reads_every_supported_file_in_ordinal_order()
    {
        using var temp = TestData.CreateTempDirectory();
        Directory.CreateDirectory(temp.File("sub"));
        await File.WriteAllTextAsync(temp.File("b.jsonl"), "{\"id\": \"b1\", \"text\": \"from b\"}\n");
        await File.WriteAllTextAsync(temp.File("B.ndjson"), "{\"id\": \"B1\", \"text\": \"from B\"}\n");
        await File.WriteAllTextAsync(temp.File("sub/c.json"), "{\"id\": \"c1\", \"text\": \"from sub/c\"}\n");
        await File.WriteAllTextAsync(temp.File("notes.csv"), "id,text\nx,ignored\n");
        await ParquetSerializer.SerializeAsync(
            new List<ParquetQueryReaderTests.FlatRow> { new() { Id = "a1", Text = "from a" } }, temp.File("a.parquet"));

        var (ok, errors) = await SplitAsync(Reader().ReadAsync(temp.Path));

        Assert.Empty(errors);
        // Ordinal: upper case sorts before lower case, and "sub/c.json" after the top-level files.
        Assert.Equal(["B1", "a1", "b1", "c1"], ok.Select(q => q.Id));
    }

    [Fact]
    public async Task Single_file_is_read_by_its_extension()
    {
        var (ok, errors) = await SplitAsync(Reader().ReadAsync(TestData.QueriesJsonl));

        Assert.Empty(errors);
        Assert.Equal(200, ok.Count);
    }

    [Fact]
    public async Task Unknown_extension_is_an_error()
    {
        using var temp = TestData.CreateTempDirectory();
        var path = temp.File("queries.csv");
        await File.WriteAllTextAsync(path, "id,text\n");

        var error = Assert.Single(await ToListAsync(Reader().ReadAsync(path))).Error;

        Assert.NotNull(error);
        Assert.Equal(path, error.Source);
        Assert.Contains("unsupported file type '.csv'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_path_is_an_error()
    {
        var error = Assert.Single(await ToListAsync(Reader().ReadAsync("/no/such/place"))).Error;

        Assert.NotNull(error);
        Assert.Contains("no such file or folder", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_folder_yields_nothing()
    {
        using var temp = TestData.CreateTempDirectory();

        Assert.Empty(await ToListAsync(Reader().ReadAsync(temp.Path)));
    }
}
