using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WildLong.Core.Generation;
using WildLong.Core.Instructions;
using WildLong.Pipeline.Runs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// Builds the stage-2 components with a run's own seed and multi-document share layered over the host's
/// <c>WildLong:Generation</c> configuration, because a run's settings travel with the run (an HTTP request, a CLI
/// flag) while the workers that execute it share one configuration. Instances are cached per distinct settings.
/// </summary>
public sealed class RunStageFactory(IServiceProvider services, IOptions<GenerationOptions> configured)
{
    private readonly ConcurrentDictionary<(ulong Seed, double? Share), RunStages> cache = new();

    public RunStages For(RunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return cache.GetOrAdd((settings.Seed, settings.MultiDocumentShare), key => Create(key.Seed, key.Share));
    }

    private RunStages Create(ulong seed, double? share)
    {
        var options = JsonSerializer.Deserialize<GenerationOptions>(JsonSerializer.Serialize(configured.Value))!;
        options.Seed = seed;
        if (share is { } value)
        {
            options.MultiDocumentShare = value;
        }

        options.Validate();
        var wrapped = Options.Create(options);
        var adapter = ActivatorUtilities.CreateInstance<InstructionAdapter>(services, wrapped);
        var responder = ActivatorUtilities.CreateInstance<ResponseGenerator>(services, wrapped);
        var judge = ActivatorUtilities.CreateInstance<QualityJudge>(services, wrapped);
        return new RunStages(
            options,
            ActivatorUtilities.CreateInstance<InstructionWriter>(services, wrapped),
            ActivatorUtilities.CreateInstance<DocumentPairer>(services, wrapped),
            ActivatorUtilities.CreateInstance<PairGenerator>(services, adapter, responder, judge, wrapped),
            ActivatorUtilities.CreateInstance<NearDuplicateFilter>(services, wrapped));
    }
}
