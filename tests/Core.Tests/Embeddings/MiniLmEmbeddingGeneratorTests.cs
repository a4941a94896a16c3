using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.DependencyInjection;
using WildLong.Core.Embeddings;
using WildLong.Core.MetaInfo;

namespace WildLong.Core.Tests.Embeddings;

/// <summary>The local all-MiniLM-L6-v2 model behind IEmbeddingGenerator, and merging with it on by default.</summary>
public class MiniLmEmbeddingGeneratorTests
{
    private static double Cosine(Embedding<float> a, Embedding<float> b)
    {
        double sum = 0;
        for (var i = 0; i < a.Vector.Length; i++)
        {
            sum += (double)a.Vector.Span[i] * b.Vector.Span[i];
        }

        return sum;
    }

    [Fact]
    public async Task Similar_phrases_are_closer_than_unrelated_ones_and_vectors_are_unit_length()
    {
        var generator = MiniLmEmbeddingGenerator.Shared;

        var e = await generator.GenerateAsync(["summarize", "summarise the text", "debug code", "fix the bug in my python script", ""]);

        Assert.Equal(5, e.Count);
        Assert.All(e, v => Assert.Equal(384, v.Vector.Length));
        Assert.All(e, v => Assert.InRange(Cosine(v, v), 0.999, 1.001));
        Assert.True(Cosine(e[0], e[1]) > 0.7, $"summarize ~ summarise the text: {Cosine(e[0], e[1]):F2}");
        Assert.True(Cosine(e[0], e[1]) > Cosine(e[0], e[2]) + 0.4);
        Assert.True(Cosine(e[2], e[3]) > Cosine(e[1], e[3]));
        Assert.Equal(MiniLmEmbeddingGenerator.ModelName, e[0].ModelId);
        Assert.Equal("all-MiniLM-L6-v2", generator.GetService<EmbeddingGeneratorMetadata>()!.DefaultModelId);

        var again = await generator.GenerateAsync(["summarize"]);
        Assert.Equal(e[0].Vector.ToArray(), again[0].Vector.ToArray());
    }

    [Fact]
    public void Method_registration_merges_with_local_embeddings_by_default_and_lexically_when_switched_off()
    {
        static NearDuplicateMerger Resolve(Dictionary<string, string?> settings)
        {
            using var services = new ServiceCollection().AddLogging()
                .AddWildLongMethod(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
                .BuildServiceProvider();
            return services.GetRequiredService<NearDuplicateMerger>();
        }

        Assert.True(Resolve([]).UsesEmbeddings);
        Assert.False(Resolve(new() { ["WildLong:Embeddings:Provider"] = "none" }).UsesEmbeddings);
        Assert.False(Resolve(new() { ["WildLong:NearDuplicateMerge:UseEmbeddings"] = "false" }).UsesEmbeddings);

        // An unknown provider registers no generator and fails the options' validation (ValidateOnStart in a host).
        using var unknown = new ServiceCollection().AddLogging()
            .AddWildLongMethod(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["WildLong:Embeddings:Provider"] = "word2vec" }).Build())
            .BuildServiceProvider();
        Assert.Null(unknown.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        var failure = Assert.Throws<OptionsValidationException>(() => unknown.GetRequiredService<IOptions<EmbeddingOptions>>().Value);
        Assert.Contains("WildLong:Embeddings:Provider is 'word2vec'", Assert.Single(failure.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_take_a_paraphrase_to_its_vocabulary_entry_where_lexical_similarity_cannot()
    {
        var counts = new Dictionary<string, IReadOnlyDictionary<string, long>>
        {
            ["task_request"] = new Dictionary<string, long> { ["other: summarise the text"] = 1, ["other: give me the gist"] = 1, ["debug code"] = 2 },
            ["user_profile"] = new Dictionary<string, long> { ["other: undergraduate"] = 1 },
        };
        NearDuplicateMerger Merger(IEmbeddingGenerator<string, Embedding<float>>? embeddings)
            => new(Options.Create(new NearDuplicateMergeOptions { MinOtherCount = 0 }), NullLogger<NearDuplicateMerger>.Instance, embeddings, MetaInfoSchema.Default);

        var lexical = await Merger(null).BuildAsync(counts, CancellationToken.None);
        var semantic = await Merger(MiniLmEmbeddingGenerator.Shared).BuildAsync(counts, CancellationToken.None);

        Assert.Equal("summarise the text", lexical.Canonical("task_request", "other: summarise the text"));
        Assert.Equal("summarize", semantic.Canonical("task_request", "other: summarise the text"));
        Assert.Equal("debug code", semantic.Canonical("task_request", "debug code"));
    }
}
