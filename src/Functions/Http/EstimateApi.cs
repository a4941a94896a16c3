using System.Net;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;
using WildLong.Functions.Estimation;
using WildLong.Pipeline.Capacity;
using WildLong.Storage;
using WildLong.Storage.Blobs;

namespace WildLong.Functions.Http;

/// <summary>
/// <c>POST /api/estimate</c>: the dry run over blob inputs — calls, tokens and cost of a planned run before anything is
/// spent, plus the capacity plan (<see cref="CapacityPlanner"/>). Downloading the inputs takes longer than an HTTP
/// request may last, so the endpoint validates the body, lists the inputs (404 when a prefix holds none, 413 over
/// <see cref="EstimateOptions.MaxDownloadBytes"/>) and starts <see cref="EstimateOrchestrator"/>, answering 202 with a
/// status URL; <c>GET /api/estimates/{id}</c> answers 202 while it runs and then <c>{estimate, cost, capacity}</c>.
/// </summary>
public sealed class EstimateApi(BlobServiceClient blobs, PipelineBlobStore store, IOptions<StorageOptions> storage, IOptions<EstimateOptions> options)
{
    /// <summary>Starts the instance ids of estimate jobs (and the names of their result blobs).</summary>
    public const string IdPrefix = "estimate-";

    [Function("EstimateRun")]
    public async Task<HttpResponseData> EstimateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "estimate")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var (body, error) = await ApiJson.ReadBodyAsync<EstimateBody>(request, cancellationToken);
        if (body is null)
        {
            return await ApiJson.ErrorAsync(request, HttpStatusCode.BadRequest, error!, cancellationToken);
        }

        var invalid = body.Pairs is < 1 ? $"pairs must be at least 1 (got {body.Pairs})" : null;
        invalid ??= body.MultiDocumentShare is { } s && (double.IsNaN(s) || s < 0 || s > 1) ? $"multiDocumentShare must be between 0 and 1 (got {s})" : null;
        invalid ??= RequestValidation.Prefix("queriesPrefix", body.QueriesPrefix) ?? RequestValidation.Prefix("documentsPrefix", body.DocumentsPrefix);
        if (invalid is not null)
        {
            return await ApiJson.ErrorAsync(request, HttpStatusCode.BadRequest, invalid, cancellationToken);
        }

        var containers = storage.Value.Containers;
        var queryBlobs = await BlobPrefixDownloader.ListAsync(blobs.GetBlobContainerClient(containers.Queries), body.QueriesPrefix, cancellationToken);
        var documentBlobs = await BlobPrefixDownloader.ListAsync(blobs.GetBlobContainerClient(containers.Documents), body.DocumentsPrefix, cancellationToken);
        if (InputsEstimator.InputsProblem(queryBlobs, documentBlobs, body.QueriesPrefix, body.DocumentsPrefix, containers, options.Value.MaxDownloadBytes) is { } problem)
        {
            var status = queryBlobs.Count == 0 || documentBlobs.Count == 0 ? HttpStatusCode.NotFound : HttpStatusCode.RequestEntityTooLarge;
            return await ApiJson.ErrorAsync(request, status, problem, cancellationToken);
        }

        // Every request is its own job: the blobs under a prefix may change between two identical requests.
        var id = IdPrefix + Guid.NewGuid().ToString("N");
        var input = new EstimateRequest(body.QueriesPrefix, body.DocumentsPrefix, body.Pairs, body.MultiDocumentShare, body.Batch, ResultBlob(id));
        await client.ScheduleNewOrchestrationInstanceAsync(new TaskName(nameof(EstimateOrchestrator)), input, new StartOrchestrationOptions(id), cancellationToken);
        return await AcceptedAsync(request, id, OrchestrationRuntimeStatus.Pending, cancellationToken);
    }

    [Function("GetEstimate")]
    public async Task<HttpResponseData> GetEstimateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "estimates/{id}")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var metadata = id.StartsWith(IdPrefix, StringComparison.Ordinal) ? await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken) : null;
        if (metadata is null || metadata.Name != nameof(EstimateOrchestrator))
        {
            return await ApiJson.ErrorAsync(request, HttpStatusCode.NotFound, $"no estimate '{id}'", cancellationToken);
        }

        switch (metadata.RuntimeStatus)
        {
            case OrchestrationRuntimeStatus.Completed:
                var result = (metadata.SerializedOutput is { } output ? JsonSerializer.Deserialize<BlobRef>(output, ApiJson.Options) : null) ?? ResultBlob(id);
                var response = request.CreateResponse(HttpStatusCode.OK);
                response.Headers.Add("Content-Type", "application/json; charset=utf-8");
                await response.WriteStringAsync(await store.DownloadTextAsync(result, cancellationToken), cancellationToken);
                return response;
            case OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated:
                return await ApiJson.ErrorAsync(request, HttpStatusCode.InternalServerError,
                    $"estimate '{id}' {metadata.RuntimeStatus.ToString().ToLowerInvariant()}: {metadata.FailureDetails?.ErrorMessage ?? "no details"}", cancellationToken);
            default:
                return await AcceptedAsync(request, id, metadata.RuntimeStatus, cancellationToken);
        }
    }

    private BlobRef ResultBlob(string id) => new(storage.Value.Containers.Datasets, $"estimates/{id}.json");

    private static async Task<HttpResponseData> AcceptedAsync(HttpRequestData request, string id, OrchestrationRuntimeStatus status, CancellationToken cancellationToken)
    {
        var url = ApiJson.Url(request, $"estimates/{Uri.EscapeDataString(id)}");
        var response = await ApiJson.WriteAsync(request, HttpStatusCode.Accepted, new { id, runtimeStatus = status.ToString(), status = url }, cancellationToken);
        response.Headers.Add("Location", url);
        response.Headers.Add("Retry-After", "10");
        return response;
    }
}
