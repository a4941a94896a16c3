using Azure;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using WildLong.Functions.Identity;
using WildLong.Pipeline.Extraction;
using WildLong.Pipeline.Indexing;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Storage.Blobs;

namespace WildLong.Functions.Triggers;

/// <summary>
/// Starts work when inputs land: a query shard in <c>queries</c> starts its extraction, a corpus file in
/// <c>documents</c> its indexing. Event Grid delivers at least once, so the instance id comes from the blob's
/// container, name and content version; a duplicate or replayed event finds the instance and starts nothing.
/// </summary>
public sealed partial class BlobUploadFunctions(RunShape shape, ILogger<BlobUploadFunctions> logger)
{
    public const string ExtractionPrefix = "extract";
    public const string IndexingPrefix = "index";

    [Function("QueryShardUploaded")]
    public Task QueryShardUploadedAsync(
        [BlobTrigger("queries/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient blob,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
        => StartForBlobAsync(blob, client, nameof(ExtractShardOrchestrator), ExtractionPrefix, cancellationToken);

    [Function("DocumentUploaded")]
    public Task DocumentUploadedAsync(
        [BlobTrigger("documents/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient blob,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
        => StartForBlobAsync(blob, client, nameof(IndexCorpusOrchestrator), IndexingPrefix, cancellationToken);

    /// <summary>Starts <paramref name="orchestrator"/> for the blob unless its instance exists; null when the blob is gone.</summary>
    internal async Task<OrchestrationStart?> StartForBlobAsync(BlobClient blob, DurableTaskClient client, string orchestrator, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(client);
        Azure.Storage.Blobs.Models.BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            LogBlobGone(logger, blob.BlobContainerName, blob.Name);
            return null;
        }

        var version = InstanceIds.BlobVersion(properties.ContentHash, properties.ETag.ToString());
        var instanceId = InstanceIds.ForBlob(prefix, blob.BlobContainerName, blob.Name, version);
        var start = await OrchestrationStarter.StartOrResumeAsync(client, orchestrator, new InputBlobRequest(new BlobRef(blob.BlobContainerName, blob.Name), shape), instanceId, cancellationToken);
        if (start.Started)
        {
            LogStarted(logger, orchestrator, instanceId, blob.BlobContainerName, blob.Name);
        }
        else
        {
            LogDuplicate(logger, blob.BlobContainerName, blob.Name, instanceId, start.ExistingStatus);
        }

        return start;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Orchestrator} instance {InstanceId} for {Container}/{Blob}")]
    private static partial void LogStarted(ILogger logger, string orchestrator, string instanceId, string container, string blob);

    [LoggerMessage(Level = LogLevel.Information, Message = "Blob {Container}/{Blob} already has instance {InstanceId} ({Status}); duplicate event ignored")]
    private static partial void LogDuplicate(ILogger logger, string container, string blob, string instanceId, OrchestrationRuntimeStatus? status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Blob {Container}/{Blob} no longer exists; nothing started")]
    private static partial void LogBlobGone(ILogger logger, string container, string blob);
}
