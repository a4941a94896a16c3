using Microsoft.Extensions.Options;
using WildLong.Core.MetaInfo;

namespace WildLong.Core.Tests.MetaInfo;

public class ValueNormalizerTests
{
    private static readonly ValueNormalizer Normalizer = ValueNormalizer.Default;

    [Theory]
    [InlineData("  Bullet   Points ", "bullet point")]
    [InlineData("BULLET-POINTS.", "bullet point")]
    [InlineData("\"bullet points\"", "bullet point")]
    [InlineData("Ｂｕｌｌｅｔ ｐｏｉｎｔｓ", "bullet point")]          // full-width forms fold under NFKC
    [InlineData("step-by-step", "step by step")]
    [InlineData("Legal Contracts", "legal contract")]
    [InlineData("summaries", "summary")]
    [InlineData("lists of requirements", "list of requirement")]
    [InlineData("Research Analyses", "research analysis")]
    [InlineData("user's guide", "users guide")]
    [InlineData("C++ programming", "c++ programming")]
    [InlineData("C# developers", "c# developer")]
    [InlineData("node.js", "node.js")]
    [InlineData("movies", "movie")]
    [InlineData("boxes", "box")]
    [InlineData("speeches", "speech")]
    [InlineData("classes", "class")]
    [InlineData("responses", "response")]
    [InlineData("under 200 words", "under 200 words")]      // a counted plural stays plural
    [InlineData("several documents", "several documents")]
    [InlineData("summaries of 3 papers", "summary of 3 papers")]
    public void Surface_variants_fold_to_one_canonical_form(string raw, string expected)
        => Assert.Equal(expected, Normalizer.Normalize("any", raw));

    [Theory]
    [InlineData("analysis")]
    [InlineData("news")]
    [InlineData("class")]
    [InlineData("business")]
    [InlineData("status")]
    [InlineData("physics")]
    [InlineData("statistics")]
    [InlineData("series")]
    [InlineData("thesis")]
    [InlineData("various")]
    [InlineData("sales report")]            // only head words are folded, "sales" modifies "report"
    [InlineData("gas")]
    [InlineData("中文")]
    public void Singular_and_invariant_words_are_left_alone(string value)
        => Assert.Equal(value, Normalizer.Normalize("any", value));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("N/A")]
    [InlineData("None")]
    [InlineData("not specified.")]
    [InlineData("...")]
    public void Empty_and_placeholder_values_become_null(string? value)
        => Assert.Null(Normalizer.Normalize("any", value));

    [Fact]
    public void Synonyms_apply_globally_and_per_field_with_field_first()
    {
        var normalizer = new ValueNormalizer(Options.Create(new ValueNormalizerOptions
        {
            Synonyms = new() { ["Q&A"] = "question answering", ["bullets"] = "bullet list" },
            FieldSynonyms = new() { ["output_format"] = new() { ["Bullet-Points"] = "bullet list", ["bullets"] = "bulleted list" } },
        }));

        Assert.Equal("question answering", normalizer.Normalize("task_request", "q&a"));
        Assert.Equal("bullet list", normalizer.Normalize("tone_style", "Bullets"));
        Assert.Equal("bulleted list", normalizer.Normalize("output_format", "bullets"));
        Assert.Equal("bullet list", normalizer.Normalize("output_format", "bullet points"));
        Assert.Equal("bullet point", normalizer.Normalize("tone_style", "bullet points"));
    }

    [Fact]
    public void Normalize_all_drops_empty_values_and_duplicates_keeping_first_order()
        => Assert.Equal(
            ["legal contract", "summary"],
            Normalizer.NormalizeAll("any", ["Legal contracts", "n/a", "summaries", "legal contract", " "]));

    [Fact]
    public void Plural_folding_can_be_switched_off()
    {
        var normalizer = new ValueNormalizer(Options.Create(new ValueNormalizerOptions { FoldPlurals = false }));
        Assert.Equal("legal contracts", normalizer.Normalize("any", "Legal Contracts"));
    }
}
