using Microsoft.Extensions.Options;
using WildLong.Llm.Batch;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Orchestration;

/// <summary>
/// One batch pass of a model activity (a slice with <see cref="WorkSlice.BatchPass"/> above 0): while it lives, the
/// activity's model calls are answered from the response cache and collected batches, and every other request is
/// recorded (<see cref="BatchDeferral"/>). When any was recorded, <see cref="DeferredAsync"/> writes the lines to a
/// blob and gives the summary the activity returns instead of its result — nothing of the pass is kept, the slice
/// runs again once the batch is in. Online (pass 0) it does nothing.
/// </summary>
public sealed class BatchPass : IDisposable
{
    private readonly BatchDeferral? deferral;
    private readonly IDisposable? handle;

    public BatchPass(WorkSlice slice, IOptions<GlobalBatchOptions> options)
    {
        ArgumentNullException.ThrowIfNull(slice);
        ArgumentNullException.ThrowIfNull(options);
        if (slice.BatchPass > 0)
        {
            deferral = new BatchDeferral(options.Value.Endpoint, slice.BatchPass, slice.BatchFinal);
            handle = BatchDeferral.Begin(deferral);
        }
    }

    /// <summary>
    /// Null when the pass left nothing waiting (its result stands); otherwise writes the waiting request lines —
    /// <c>{"attempt": n, "request": &lt;batch line&gt;}</c> — and returns the summary naming them.
    /// </summary>
    public async Task<WorkSummary?> DeferredAsync(PipelineBlobStore blobs, string activity, WorkSlice slice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(slice);
        var requests = deferral?.Requests ?? [];
        if (requests.Count == 0)
        {
            return null;
        }

        var blob = blobs.Layout.BatchPending(activity, slice.Scope, slice.Source, slice.Version, slice.Round, slice.Index, slice.BatchPass);
        var text = string.Concat(requests.Select(r => $"{{\"attempt\":{r.Attempt},\"request\":{r.Line}}}\n"));
        await blobs.UploadTextAsync(blob, text, cancellationToken);
        return WorkSummary.Empty with { Deferred = [new DeferredSlice(slice, blob, requests.Count)] };
    }

    public void Dispose() => handle?.Dispose();
}
