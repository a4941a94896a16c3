using Microsoft.Extensions.Options;
using WildLong.Core;
using WildLong.Core.Common;
using WildLong.Core.Graphs;
using WildLong.Core.Instructions;
using WildLong.Llm.Batch;
using WildLong.Llm.Costs;
using WildLong.Pipeline.Orchestration;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Synthesis;

/// <summary>Turns one slice of a round's paths into document-agnostic instructions (model calls) and writes them.</summary>
public sealed class WriteInstructionsActivity(
    PipelineBlobStore blobs,
    RunDataCache cache,
    RunStageFactory stages,
    CostCalculator costs,
    IOptions<GlobalBatchOptions> batch) : RoundSliceActivity<InstructionPath, AgnosticInstruction>(blobs, cache, costs, batch)
{
    protected override string Stage => StageNames.InstructionWriting;

    protected override BlobRef Output(BlobLayout layout, WorkSlice slice) => layout.Instructions(slice.Scope, slice.Round, slice.Index);

    protected override Task<BatchResult<AgnosticInstruction>> ProcessAsync(IReadOnlyList<InstructionPath> items, WorkSlice slice, CancellationToken cancellationToken)
        => stages.For(slice.Settings!).Writer.WriteAsync(items, cancellationToken);
}
