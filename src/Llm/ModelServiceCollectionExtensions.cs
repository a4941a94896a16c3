using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.DependencyInjection;
using WildLong.Core.Model;
using WildLong.Core.Runner;
using WildLong.Llm.Batch;
using WildLong.Llm.Costs;

namespace WildLong.Llm;

/// <summary>
/// One call that gives a host the model client of a run: options bound from <c>WildLong:Model</c> and validated at
/// start, one <see cref="ChatClientFactory"/> (so every caller shares one quota limiter), the <see cref="IChatClient"/>
/// pipeline (with the response cache outermost when a <see cref="ModelCacheLayer"/> is registered), the
/// <see cref="UsageLedger"/>, the <see cref="CostCalculator"/> and the <see cref="ModelIdentity"/> (a host that probed
/// the endpoint registers its own first).
/// </summary>
public static class ModelServiceCollectionExtensions
{
    public static IServiceCollection AddWildLongModel(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ModelOptions>().Bind(configuration.GetSection(ModelOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelOptions>, ModelOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ModelMetrics>();
        services.TryAddSingleton<UsageLedger>();
        services.TryAddSingleton<ChatClientFactory>();
        services.TryAddSingleton(sp => ModelIdentity.From(sp.GetRequiredService<IOptions<ModelOptions>>().Value));
        services.TryAddSingleton(sp => sp.GetRequiredService<ChatClientFactory>().Create(sp.GetService<ModelCacheLayer>(), sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IRunFingerprintContributor, ModelFingerprintContributor>());
        services.AddOptions<GlobalBatchOptions>().Bind(configuration.GetSection(GlobalBatchOptions.SectionName)).ValidateOnStartWith(o => o.Validate());
        services.TryAddSingleton<IModelBatchProvider>(sp =>
        {
            var batch = sp.GetRequiredService<IOptions<GlobalBatchOptions>>();
            return string.Equals(batch.Value.Provider, GlobalBatchOptions.FolderProvider, StringComparison.OrdinalIgnoreCase)
                ? new FolderBatchProvider(batch.Value.Folder ?? throw new InvalidOperationException($"{GlobalBatchOptions.SectionName}:Folder is required for provider {GlobalBatchOptions.FolderProvider}."),
                    sp.GetRequiredService<ILogger<FolderBatchProvider>>())
                : new ServiceBatchProvider(BatchJobClient.Create(sp.GetRequiredService<ChatClientFactory>().CreateOpenAIClient(), batch, sp.GetRequiredService<ILogger<BatchJobClient>>()));
        });
        services.TryAddSingleton(sp => new CostCalculator(sp.GetRequiredService<IOptions<ModelOptions>>().Value.Pricing));
        return services;
    }
}
