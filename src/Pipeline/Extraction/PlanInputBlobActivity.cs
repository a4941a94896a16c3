using Microsoft.DurableTask;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Extraction;

/// <summary>
/// Downloads an input blob once (the local copy serves every slice on this machine), fixes its content version and
/// counts its items, so the orchestrator can fan out slices without ever seeing the data.
/// </summary>
public sealed class PlanInputBlobActivity(PipelineBlobStore blobs, InputSlices slices) : TaskActivity<PlanInputBlobRequest, InputBlobPlan>
{
    public override async Task<InputBlobPlan> RunAsync(TaskActivityContext context, PlanInputBlobRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var copy = await blobs.GetLocalCopyAsync(input.Blob, expectedVersion: null, CancellationToken.None);
        var items = await slices.CountAsync(copy.Path, input.Kind, CancellationToken.None);
        return new InputBlobPlan(input.Blob, BlobLayout.IdOf(input.Blob), copy.Version, items);
    }
}
