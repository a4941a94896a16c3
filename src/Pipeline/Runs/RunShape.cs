using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WildLong.Core.Model;
using WildLong.Core.Runner;
using WildLong.Llm.Batch;
using WildLong.Storage;

namespace WildLong.Pipeline.Runs;

/// <summary>
/// How a run cuts its work — batch sizes, fan-out group size, retries, rounds, container names — fixed when the run
/// starts and carried in its input. Orchestrators must replay identically, so they read these from their input, never
/// from the configuration of whichever worker happens to replay them.
/// </summary>
public sealed record RunShape(
    int QueryBatchSize,
    int DocumentBatchSize,
    int InstructionBatchSize,
    int PairBatchSize,
    double Oversample,
    int MaxRounds,
    int ActivitiesPerSubOrchestration,
    int ActivityAttempts,
    StorageContainerNames Containers,
    ModelBatchShape? Batch = null)
{
    public static RunShape From(MethodRunOptions run, PipelineOptions pipeline, StorageContainerNames containers, ModelBatchShape? batch = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(pipeline);
        run.Validate();
        pipeline.Validate();
        return new RunShape(run.QueryBatchSize, run.DocumentBatchSize, run.InstructionBatchSize, run.PairBatchSize, run.Oversample, run.MaxRounds,
            pipeline.ActivitiesPerSubOrchestration, pipeline.ActivityAttempts, containers, batch);
    }

    /// <summary>The shape the host's configuration describes (what a client starting a run passes).</summary>
    public static RunShape FromServices(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var batch = services.GetService<IOptions<LlmCallOptions>>()?.Value is { } llm && llm.IsBatchMode()
            ? services.GetRequiredService<IOptions<GlobalBatchOptions>>().Value
            : null;
        return From(
            services.GetRequiredService<IOptions<MethodRunOptions>>().Value,
            services.GetRequiredService<IOptions<PipelineOptions>>().Value,
            services.GetRequiredService<IOptions<StorageOptions>>().Value.Containers,
            batch is null ? null : new ModelBatchShape(batch.PollInterval, Math.Max(1, batch.MaxPasses)));
    }
}
