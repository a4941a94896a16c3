using Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using WildLong.Core;
using WildLong.Core.Common;
using WildLong.Llm.Batch;
using WildLong.Llm.Costs;
using WildLong.Pipeline.Orchestration;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>
/// The shape every stage-2 fan-out activity shares: return the slice's output if it is already complete; otherwise
/// take items [Start, Start + Count) of the round's plan, run one stage over them with the run's settings, and write
/// the rejections, then the output (whose completion mark is written last, so it means both are there). In batch mode
/// a pass that left requests waiting writes nothing but those (<see cref="BatchPass"/>).
/// </summary>
public abstract class RoundSliceActivity<TItem, TResult>(PipelineBlobStore blobs, RunDataCache cache, CostCalculator costs, IOptions<GlobalBatchOptions> batch) : TaskActivity<WorkSlice, WorkSummary>
{
    /// <summary>The run's cached plan, snapshot and document texts (also for what a stage loads beside its items).</summary>
    protected RunDataCache Cache { get; } = cache;

    /// <summary>The stage (one of <see cref="StageNames"/>) the slice's quarantine blob is named after.</summary>
    protected abstract string Stage { get; }

    protected abstract BlobRef Output(BlobLayout layout, WorkSlice slice);

    protected abstract Task<BatchResult<TResult>> ProcessAsync(IReadOnlyList<TItem> items, WorkSlice slice, CancellationToken cancellationToken);

    public sealed override async Task<WorkSummary> RunAsync(TaskActivityContext context, WorkSlice input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var target = Output(blobs.Layout, input);
        if (await blobs.TryGetCompletedAsync<WorkSummary>(target, cancellationToken) is { } done)
        {
            return done;
        }

        var items = (await Cache.LinesAsync<TItem>(input.Source, cancellationToken)).Skip(input.Start).Take(input.Count).ToList();
        using var usage = new ActivityUsage(costs);
        using var pass = new BatchPass(input, batch);
        var result = await ProcessAsync(items, input, cancellationToken);
        if (await pass.DeferredAsync(blobs, GetType().Name, input, cancellationToken) is { } deferred)
        {
            return deferred;
        }

        var summary = usage.Summarize(items.Count, result.Items.Count, result.Quarantined.Count);
        await blobs.WriteLinesAsync(blobs.Layout.RunQuarantine(input.Scope, Stage, input.Round, input.Index), result.Quarantined, summary, cancellationToken);
        await blobs.WriteLinesAsync(target, result.Items, summary, cancellationToken);
        return summary;
    }
}
