using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.MetaInfo;

namespace WildLong.Core.Tests.MetaInfo;

public class NearDuplicateMergerTests
{
    private static NearDuplicateMerger Merger(NearDuplicateMergeOptions? options = null, IEmbeddingGenerator<string, Embedding<float>>? embeddings = null)
        => new(Options.Create(options ?? new NearDuplicateMergeOptions()), NullLogger<NearDuplicateMerger>.Instance, embeddings);

    private static Dictionary<string, IReadOnlyDictionary<string, long>> Counts(string field, params (string Value, long Count)[] values)
        => new() { [field] = values.ToDictionary(v => v.Value, v => v.Count) };

    [Fact]
    public async Task Lexical_near_duplicates_merge_into_the_most_frequent_surface_form()
    {
        var map = await Merger().BuildAsync(
            Counts("task_request",
                ("summarize the key points", 3),
                ("summarise the key points", 7),
                ("summarize key points", 2),
                ("translate into french", 5)),
            CancellationToken.None);

        Assert.Equal("summarise the key points", map.Canonical("task_request", "summarize the key points"));
        Assert.Equal("summarise the key points", map.Canonical("task_request", "summarise the key points"));
        Assert.Equal("translate into french", map.Canonical("task_request", "translate into french"));
        Assert.Equal("unseen value", map.Canonical("task_request", "unseen value"));
        Assert.Equal("summarize the key points", map.Canonical("domain", "summarize the key points"));   // other fields untouched
    }

    [Fact]
    public async Task Word_order_variants_merge_and_dissimilar_values_do_not()
    {
        var map = await Merger().BuildAsync(
            Counts("tone_style", ("formal and concise", 4), ("concise and formal", 2), ("informal", 3), ("formal", 9)),
            CancellationToken.None);

        Assert.Equal("formal and concise", map.Canonical("tone_style", "concise and formal"));
        Assert.Equal("informal", map.Canonical("tone_style", "informal"));
        Assert.Equal("formal", map.Canonical("tone_style", "formal"));
        Assert.Equal(1, map.MergedValueCount);
    }

    [Fact]
    public async Task Values_with_different_numbers_never_merge()
    {
        var map = await Merger(new NearDuplicateMergeOptions { LexicalThreshold = 0.5 }).BuildAsync(
            Counts("length_requirement", ("under 200 words", 5), ("under 250 words", 3)),
            CancellationToken.None);

        Assert.Equal(0, map.MergedValueCount);
    }

    [Fact]
    public async Task Ties_in_count_are_broken_by_ordinal_order()
    {
        var map = await Merger().BuildAsync(Counts("f", ("summarize the key points", 2), ("summarise the key points", 2)), CancellationToken.None);

        Assert.Equal("summarise the key points", map.Canonical("f", "summarize the key points"));
    }

    [Fact]
    public async Task Result_does_not_depend_on_input_order()
    {
        var values = new List<(string, long)>
        {
            ("summarize the key points", 3), ("summarise the key points", 3), ("summarize key points", 2),
            ("detailed summary", 4), ("summary detailed", 1), ("a detailed summary", 4), ("translate into french", 5),
            ("translate to french", 5), ("explain the code", 2), ("explain this code", 2),
        };
        var expected = (await Merger().BuildAsync(Counts("task", [.. values]), CancellationToken.None)).ToJson();

        for (var seed = 1UL; seed <= 5; seed++)
        {
            var shuffled = values.ToList();
            DeterministicRandom.ForItem(seed, 0).Shuffle(shuffled);
            var map = await Merger().BuildAsync(Counts("task", [.. shuffled]), CancellationToken.None);
            Assert.Equal(expected, map.ToJson());
        }

        Assert.NotEqual(ValueMergeMap.Empty.ToJson(), expected);
    }

    [Fact]
    public async Task Embedding_similarity_merges_synonyms_that_share_no_letters()
    {
        var embeddings = new FakeEmbeddings(new()
        {
            ["lawyer"] = [1f, 0f, 0f],
            ["attorney"] = [0.98f, 0.05f, 0f],
            ["legal counsel"] = [0.97f, 0.1f, 0.05f],
            ["student"] = [0f, 1f, 0f],
            ["pupil"] = [0.05f, 0.99f, 0f],
            ["teacher"] = [0f, 0.6f, 0.8f],
        });
        var counts = Counts("user_profile", ("lawyer", 2), ("attorney", 5), ("legal counsel", 1), ("student", 9), ("pupil", 1), ("teacher", 3));

        var lexicalOnly = await Merger().BuildAsync(counts, CancellationToken.None);
        var map = await Merger(embeddings: embeddings).BuildAsync(counts, CancellationToken.None);

        Assert.Equal(0, lexicalOnly.MergedValueCount);
        Assert.Equal("attorney", map.Canonical("user_profile", "lawyer"));
        Assert.Equal("attorney", map.Canonical("user_profile", "legal counsel"));
        Assert.Equal("student", map.Canonical("user_profile", "pupil"));
        Assert.Equal("teacher", map.Canonical("user_profile", "teacher"));
        Assert.Equal(6, embeddings.Embedded.Count);
    }

    [Fact]
    public async Task Merge_map_round_trips_through_json_and_applies_to_records()
    {
        var map = await Merger().BuildAsync(
            Counts("task_request", ("summarise the key points", 7), ("summarize the key points", 3)),
            CancellationToken.None);

        var copy = ValueMergeMap.FromJson(map.ToJson());
        Assert.Equal(map.ToJson(), copy.ToJson());
        Assert.Equal("summarise the key points", copy.Canonical("task_request", "summarize the key points"));
        Assert.Contains("\"summarize the key points\":\"summarise the key points\"", map.ToJson(), StringComparison.Ordinal);

        var record = new MetaInfoRecord("q1", "news_article", new Dictionary<string, IReadOnlyList<string>>
        {
            ["task_request"] = ["summarize the key points", "summarise the key points", "translate"],
        });
        Assert.Equal(["summarise the key points", "translate"], copy.Apply(record).Fields["task_request"]);

        Func<string, string, string> remap = copy.Canonical;   // the shape the graph remap takes
        Assert.Equal("summarise the key points", remap("task_request", "summarize the key points"));
    }

    [Fact]
    public void Count_values_counts_per_field_over_records()
    {
        MetaInfoRecord[] records =
        [
            new("a", "essay", new Dictionary<string, IReadOnlyList<string>> { ["domain"] = ["law"], ["task"] = ["summary", "critique"] }),
            new("b", "essay", new Dictionary<string, IReadOnlyList<string>> { ["domain"] = ["law"] }),
        ];

        var counts = NearDuplicateMerger.CountValues(records);

        Assert.Equal(2, counts["domain"]["law"]);
        Assert.Equal(1, counts["task"]["critique"]);
    }

    [Fact]
    public void Lexical_similarity_is_symmetric_and_one_for_identical_values()
    {
        Assert.Equal(1.0, NearDuplicateMerger.LexicalSimilarity("legal review", "legal review"));
        Assert.Equal(NearDuplicateMerger.LexicalSimilarity("formal", "informal"), NearDuplicateMerger.LexicalSimilarity("informal", "formal"));
        Assert.True(NearDuplicateMerger.LexicalSimilarity("formal", "informal") < new NearDuplicateMergeOptions().LexicalThreshold);
    }

    private sealed class FakeEmbeddings(Dictionary<string, float[]> vectors) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public List<string> Embedded { get; } = [];

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = values.ToList();
            Embedded.AddRange(list);
            return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(list.Select(v => new Embedding<float>(vectors[v]))));
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
