using Microsoft.DurableTask;
using WildLong.Storage.Blobs;

namespace WildLong.Pipeline.Extraction;

/// <summary>Lists the input blobs (query shards or corpus files) a run covers, in name order.</summary>
public sealed class ListInputBlobsActivity(PipelineBlobStore blobs) : TaskActivity<BlobListRequest, IReadOnlyList<string>>
{
    public override async Task<IReadOnlyList<string>> RunAsync(TaskActivityContext context, BlobListRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return await blobs.ListAsync(input.Container, string.IsNullOrEmpty(input.Prefix) ? null : input.Prefix, CancellationToken.None);
    }
}
