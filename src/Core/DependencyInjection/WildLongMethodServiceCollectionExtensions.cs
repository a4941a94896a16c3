using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using WildLong.Core.Documents;
using WildLong.Core.Embeddings;
using WildLong.Core.Generation;
using WildLong.Core.Graphs;
using WildLong.Core.Instructions;
using WildLong.Core.MetaInfo;
using WildLong.Core.Model;
using WildLong.Core.Prompts;
using WildLong.Core.Queries;
using WildLong.Core.Runner;

namespace WildLong.Core.DependencyInjection;

/// <summary>
/// Registers every stage of the method with its options bound from configuration, so each host (the local runner,
/// the Functions app, tests) wires the method the same way. The host registers the <c>IChatClient</c>. An embedding
/// generator for value merging is registered too — the local all-MiniLM-L6-v2 model unless
/// <c>WildLong:Embeddings:Provider</c> is <c>none</c> or the host registered its own generator first.
/// </summary>
public static class WildLongMethodServiceCollectionExtensions
{
    public static IServiceCollection AddWildLongMethod(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions();
        Bind<LlmCallOptions>(services, configuration, LlmCallOptions.SectionName);
        Bind<PromptOptions>(services, configuration, PromptOptions.SectionName);
        Bind<QueryReaderOptions>(services, configuration, QueryReaderOptions.SectionName);
        Bind<LongContextPreFilterOptions>(services, configuration, LongContextPreFilterOptions.SectionName);
        Bind<MetaInfoSchemaOptions>(services, configuration, MetaInfoSchemaOptions.SectionName);
        Bind<MetaInfoExtractionOptions>(services, configuration, MetaInfoExtractionOptions.SectionName);
        Bind<ValueNormalizerOptions>(services, configuration, ValueNormalizerOptions.SectionName);
        Bind<NearDuplicateMergeOptions>(services, configuration, NearDuplicateMergeOptions.SectionName).ValidateOnStartWith(o => o.Validate());
        Bind<TaxonomyOptions>(services, configuration, TaxonomyOptions.SectionName);
        Bind<DocumentOptions>(services, configuration, DocumentOptions.SectionName);
        Bind<GraphOptions>(services, configuration, GraphOptions.SectionName).ValidateOnStartWith(o => o.Validate());
        Bind<SamplingOptions>(services, configuration, SamplingOptions.SectionName);
        Bind<GenerationOptions>(services, configuration, GenerationOptions.SectionName).ValidateOnStartWith(o => o.Validate());
        Bind<MethodRunOptions>(services, configuration, MethodRunOptions.SectionName).ValidateOnStartWith(o => o.Validate());
        Bind<EmbeddingOptions>(services, configuration, EmbeddingOptions.SectionName).ValidateOnStartWith(o => o.Validate());

        services.TryAddSingleton<ModelMetrics>();
        services.TryAddSingleton<UsageLedger>();
        services.TryAddSingleton<LlmCaller>();
        services.TryAddSingleton<PromptLibrary>();
        services.TryAddSingleton(_ => TokenCounter.Shared);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<TaxonomyOptions>>().Value.CreateTaxonomy());
        services.TryAddSingleton(sp => MetaInfoSchema.FromOptions(sp.GetRequiredService<IOptions<MetaInfoSchemaOptions>>()));

        services.TryAddSingleton<QueryReader>();
        services.TryAddSingleton<LongContextPreFilter>();
        services.TryAddSingleton<MetaInfoExtractor>();
        services.TryAddSingleton<ValueNormalizer>();
        services.TryAddSingleton<MetaInfoNormalizer>();
        // Which generator to register is decided here; an unknown provider registers none and fails validation at start.
        var provider = configuration[$"{EmbeddingOptions.SectionName}:Provider"] ?? EmbeddingOptions.MiniLmProvider;
        if (string.Equals(provider, EmbeddingOptions.MiniLmProvider, StringComparison.OrdinalIgnoreCase))
        {
            services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(_ => MiniLmEmbeddingGenerator.Shared);
        }

        services.TryAddSingleton<NearDuplicateMerger>();
        services.TryAddSingleton<GraphFinalizer>();

        services.TryAddSingleton<DocumentReader>();
        services.TryAddSingleton<DocumentClassifier>();
        services.TryAddSingleton<DocumentIndexer>();

        services.TryAddSingleton<InstructionWriter>();
        services.TryAddSingleton<DocumentPairer>();
        services.TryAddSingleton<InstructionAdapter>();
        services.TryAddSingleton<ResponseGenerator>();
        services.TryAddSingleton<QualityJudge>();
        services.TryAddSingleton<PairGenerator>();
        services.TryAddSingleton<NearDuplicateFilter>();

        services.TryAddSingleton<MethodRunner>();
        services.TryAddSingleton<RunEstimator>();
        services.TryAddSingleton<RunFingerprintSource>();
        return services;
    }

    private static OptionsBuilder<TOptions> Bind<TOptions>(IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        => services.AddOptions<TOptions>().Bind(configuration.GetSection(section));
}
