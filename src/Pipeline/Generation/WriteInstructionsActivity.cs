using Microsoft.DurableTask;
using WildLong.Core.Graphs;
using WildLong.Llm.Costs;
using WildLong.Pipeline.Blobs;
using WildLong.Pipeline.Orchestration;

namespace WildLong.Pipeline.Generation;

/// <summary>Turns one slice of a round's paths into document-agnostic instructions (model calls) and writes them.</summary>
public sealed class WriteInstructionsActivity(
    PipelineBlobStore blobs,
    RunDataCache cache,
    RunStageFactory stages,
    CostCalculator costs) : TaskActivity<WorkSlice, WorkSummary>
{
    public override async Task<WorkSummary> RunAsync(TaskActivityContext context, WorkSlice input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancellationToken = CancellationToken.None;
        var target = blobs.Layout.Instructions(input.Scope, input.Round, input.Index);
        if (await blobs.TryGetCompletedAsync<WorkSummary>(target, cancellationToken) is { } done)
        {
            return done;
        }

        var paths = (await cache.LinesAsync<InstructionPath>(input.Source, cancellationToken)).Skip(input.Start).Take(input.Count).ToList();
        using var usage = new ActivityUsage(costs);
        var written = await stages.For(input.Settings!).Writer.WriteAsync(paths, cancellationToken);
        var summary = usage.Summarize(paths.Count, written.Items.Count, written.Quarantined.Count);
        await blobs.WriteLinesAsync(blobs.Layout.RunQuarantine(input.Scope, "instructions", input.Round, input.Index), written.Quarantined, summary, cancellationToken);
        await blobs.WriteLinesAsync(target, written.Items, summary, cancellationToken);
        return summary;
    }
}
