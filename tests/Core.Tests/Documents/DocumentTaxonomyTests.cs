using System.Text;
using System.Text.Json;
using WildLong.Core.Documents;
using WildLong.Core.Tests.Support;

namespace WildLong.Core.Tests.Documents;

public sealed class DocumentTaxonomyTests
{
    [Fact]
    public void Every_hint_in_the_shared_corpus_resolves_to_a_real_type()
    {
        var hints = File.ReadLines(TestData.DocumentsJsonl)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("doc_type_hint").GetString()!)
            .Distinct()
            .ToList();

        Assert.Equal(10, hints.Count);
        Assert.All(hints, h => Assert.NotEqual("other", DocumentTaxonomy.Default.Resolve(h)));
        Assert.Equal("speech", DocumentTaxonomy.Default.Resolve("speech_government"));
        Assert.Equal("technical_standard", DocumentTaxonomy.Default.Resolve("technical_standard_rfc"));
        Assert.Equal("book_nonfiction", DocumentTaxonomy.Default.Resolve("book_nonfiction_history"));
    }

    [Fact]
    public void The_default_taxonomy_names_each_type_once_and_every_name_resolves_to_itself()
    {
        var names = DocumentTaxonomy.Default.Names;

        Assert.Contains("legal_contract", names);
        Assert.Equal("other", names[^1]);
        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, n => Assert.Equal(n, DocumentTaxonomy.Default.Resolve(n)));
    }

    [Theory]
    [InlineData("Research Paper", "scientific_paper")]
    [InlineData("an NDA between two companies", "legal_contract")]
    [InlineData("contracts", "legal_contract")]
    [InlineData("cover letter", "email")]
    [InlineData("", "other")]
    [InlineData("a knitting pattern", "other")]
    public void Free_text_maps_by_name_alias_or_phrase(string raw, string expected)
        => Assert.Equal(expected, DocumentTaxonomy.Default.Resolve(raw));

    [Fact]
    public void Rare_types_fold_into_other()
    {
        var fold = DocumentTaxonomy.Default.FoldRareTypes(new Dictionary<string, long> { ["patent"] = 2, ["email"] = 5 }, minCount: 3);

        Assert.Equal("other", fold["patent"]);
        Assert.Equal("email", fold["email"]);
    }

    [Fact]
    public void A_custom_taxonomy_file_is_validated_with_its_origin()
    {
        var custom = DocumentTaxonomy.Parse(Stream("""{"other":"misc","types":[{"name":"recipe","description":"cooking","aliases":["cookbook"]}]}"""), "t.json");
        Assert.Equal(["recipe", "misc"], custom.Names);
        Assert.Equal("recipe", custom.Resolve("Cookbook"));
        Assert.Equal("misc", custom.Resolve("contract"));

        var empty = Assert.Throws<FormatException>(() => DocumentTaxonomy.Parse(Stream("""{"types":[]}"""), "t.json"));
        Assert.StartsWith("t.json", empty.Message, StringComparison.Ordinal);
        var broken = Assert.Throws<FormatException>(() => DocumentTaxonomy.Parse(Stream("""{"types":[{"name":"x",}"""), "t.json"));
        Assert.Contains("invalid taxonomy JSON", broken.Message, StringComparison.Ordinal);
    }

    private static MemoryStream Stream(string json) => new(Encoding.UTF8.GetBytes(json));
}
