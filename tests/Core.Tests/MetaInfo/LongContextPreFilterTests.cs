using Microsoft.Extensions.Options;
using WildLong.Core.Queries;
using Xunit.Abstractions;

namespace WildLong.Core.Tests.MetaInfo;

public class LongContextPreFilterTests(ITestOutputHelper output)
{
    private static readonly LongContextPreFilter Filter = LongContextPreFilter.Default;

    [Theory]
    [InlineData("hi")]
    [InlineData("Hi there.")]
    [InlineData("test")]
    [InlineData("What is the capital of France?")]
    [InlineData("Write a poem about autumn leaves falling in the park.")]
    public void Short_queries_without_a_document_are_dropped(string text)
        => Assert.False(Filter.Evaluate(text).Keep);

    [Theory]
    [InlineData("Summarize the following article in three bullet points.")]
    [InlineData("Can you proofread this email for me?")]
    [InlineData("Translate the text below: Bonjour à tous")]
    [InlineData("What are the main claims in the attached paper?")]
    [InlineData("Explain what this does:\n```\nfor i in range(3): print(i)\n```")]
    [InlineData("> first quoted line\n> second quoted line\nwhat does the author mean?")]
    [InlineData("请总结以下文章的要点")]
    public void Short_queries_that_refer_to_a_document_are_kept(string text)
    {
        var decision = Filter.Evaluate(text);

        Assert.True(decision.Keep, decision.Reason);
        Assert.StartsWith("refers to a document", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ambulance driver objective in resume")]
    [InlineData("Please resume the story where we left off yesterday")]
    [InlineData("how do I write a good résumé for a nursing job")]
    [InlineData("In the context of a hypothetical theme park, suggest some rides for families")]
    [InlineData("Write me the code for a chess program in python")]
    [InlineData("check this link https://example.org/page and tell me if it is safe")]
    [InlineData("Напиши текст на тему весны для детей")]
    [InlineData("写一篇关于环境保护的文章")]
    [InlineData("Antiderivar la siguiente función f(x)=(x+1)(2x-1)")]
    public void Short_requests_that_name_no_text_to_work_on_are_dropped(string text)
    {
        var decision = Filter.Evaluate(text);

        Assert.False(decision.Keep, decision.Reason);
    }

    [Theory]
    [InlineData("Resume el siguiente texto en tres frases")]
    [InlineData("Résume ce texte en français s'il te plaît")]
    [InlineData("Перескажи этот текст кратко")]
    [InlineData("Can you summarize my resume for a cover letter?")]
    public void Requests_in_other_languages_that_point_at_a_text_are_kept(string text)
    {
        var decision = Filter.Evaluate(text);

        Assert.True(decision.Keep, decision.Reason);
    }

    [Fact]
    public void Greeting_and_long_pasted_article_from_the_real_sample()
    {
        var queries = SampleQueries.Load();
        var greeting = queries.Single(q => q.Id == "wc-ms-00194");      // "Hi there."
        var longest = queries.MaxBy(q => q.Text.Length)!;              // a pasted text of ~17,500 chars

        Assert.False(Filter.Evaluate(greeting).Keep);
        var decision = Filter.Evaluate(longest);
        Assert.True(decision.Keep);
        Assert.StartsWith("long (", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_real_query_of_at_least_min_chars_is_kept_and_every_trivial_one_dropped()
    {
        var queries = SampleQueries.Load();
        var options = new LongContextPreFilterOptions();
        var decisions = queries.Select(q => (Query: q, Decision: Filter.Evaluate(q))).ToList();

        Assert.All(decisions.Where(d => d.Query.Text.Trim().Length >= options.MinChars), d => Assert.True(d.Decision.Keep));
        Assert.All(decisions.Where(d => d.Query.Text.Trim().Length < options.MinCharsWithReference), d => Assert.False(d.Decision.Keep));
        Assert.All(decisions, d => Assert.False(string.IsNullOrWhiteSpace(d.Decision.Reason)));

        var kept = decisions.Count(d => d.Decision.Keep);
        var longOnes = decisions.Count(d => d.Query.Text.Trim().Length >= options.MinChars);
        output.WriteLine($"pre-filter on {queries.Count} sample queries: {kept} kept ({longOnes} long), {queries.Count - kept} dropped");
        // Recall-oriented: more than the long ones pass (short queries that refer to a text), but far from all.
        Assert.InRange(kept, longOnes + 1, queries.Count - 1);
    }

    [Fact]
    public void Thresholds_and_patterns_are_configurable()
    {
        var custom = new LongContextPreFilter(Options.Create(new LongContextPreFilterOptions
        {
            MinChars = 10,
            ReferencePatterns = [],
            AdditionalReferencePatterns = [@"\bzorg\b"],
        }));

        Assert.True(custom.Evaluate("eleven chars").Keep);
        Assert.False(custom.Evaluate("summarize").Keep);                    // below the minimum length with a reference
        Assert.False(custom.Evaluate("short one").Keep);
        var defaultsReplaced = new LongContextPreFilter(Options.Create(new LongContextPreFilterOptions { ReferencePatterns = [], AdditionalReferencePatterns = [@"\bzorg\b"] }));
        Assert.False(defaultsReplaced.Evaluate("Summarize the following article please.").Keep);
        Assert.True(defaultsReplaced.Evaluate("Please zorg this text now.").Keep);
    }

    [Fact]
    public void Many_pasted_lines_count_as_a_document()
    {
        var table = string.Join('\n', Enumerable.Range(1, 12).Select(i => $"{i},{i * i}"));

        var decision = Filter.Evaluate(table);

        Assert.True(decision.Keep);
        Assert.StartsWith("pasted text", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_pattern_is_reported_when_the_filter_is_built()
    {
        var error = Assert.Throws<ArgumentException>(() => new LongContextPreFilter(Options.Create(new LongContextPreFilterOptions { AdditionalReferencePatterns = ["(unclosed"] })));
        Assert.Contains("(unclosed", error.Message, StringComparison.Ordinal);
    }
}
