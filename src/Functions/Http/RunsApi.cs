using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WildLong.Core.Runner;
using WildLong.Functions.Identity;
using WildLong.Llm;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Pipeline.Synthesis;
using WildLong.Storage;
using WildLong.Storage.Graphs;

namespace WildLong.Functions.Http;

/// <summary>
/// The run endpoints: start a full run or a generation (idempotent: the same body is the same run), read a run's
/// status and progress, terminate it, purge its history. Function-key protected.
/// </summary>
public sealed partial class RunsApi(
    GraphCountStore graphs,
    RunShape shape,
    RunFingerprintSource fingerprints,
    IOptions<StorageOptions> storage,
    IOptions<ModelOptions> model,
    ILogger<RunsApi> logger)
{
    [Function("StartRun")]
    public async Task<HttpResponseData> StartRunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "runs")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var (body, error) = await ApiJson.ReadBodyAsync<StartRunBody>(request, cancellationToken);
        if (body is null)
        {
            return await ApiJson.ErrorAsync(request, HttpStatusCode.BadRequest, error!, cancellationToken);
        }

        var (settings, invalid) = RequestValidation.Settings(body.Pairs, body.Seed, body.MultiDocumentShare);
        invalid ??= RequestValidation.RunId(body.RunId)
            ?? RequestValidation.Prefix("queriesPrefix", body.QueriesPrefix)
            ?? RequestValidation.Prefix("documentsPrefix", body.DocumentsPrefix);
        if (invalid is not null)
        {
            return await ApiJson.ErrorAsync(request, HttpStatusCode.BadRequest, invalid, cancellationToken);
        }

        var queries = body.QueriesPrefix ?? string.Empty;
        var documents = body.DocumentsPrefix ?? string.Empty;
        var fingerprint = fingerprints.For(settings!);
        var runId = body.RunId ?? RunIdentity.ForRun(queries, documents, fingerprint);
        var input = new RunRequest(runId, queries, documents, settings!, shape, Simulated, fingerprint);
        return await StartAsync(request, client, nameof(RunOrchestrator), input, runId, cancellationToken);
    }

    [Function("StartGeneration")]
    public async Task<HttpResponseData> StartGenerationAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "generations")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var (body, error) = await ApiJson.ReadBodyAsync<StartGenerationBody>(request, cancellationToken);
        if (body is null)
        {
            return await ApiJson.ErrorAsync(request, HttpStatusCode.BadRequest, error!, cancellationToken);
        }

        var (settings, invalid) = RequestValidation.Settings(body.Pairs, body.Seed, body.MultiDocumentShare);
        invalid ??= RequestValidation.RunId(body.RunId);
        if (invalid is not null)
        {
            return await ApiJson.ErrorAsync(request, HttpStatusCode.BadRequest, invalid, cancellationToken);
        }

        var shards = await graphs.ListShardsAsync(cancellationToken);
        if (shards.Count == 0)
        {
            return await ApiJson.ErrorAsync(request, HttpStatusCode.Conflict,
                "no query shard has been merged into the graphs yet: upload query shards (or POST /api/runs) before generating", cancellationToken);
        }

        var fingerprint = fingerprints.For(settings!);
        var runId = body.RunId ?? RunIdentity.ForGeneration(InstanceIds.GraphState(shards), fingerprint);
        var input = new GenerationRequest(runId, settings!, shape, Simulated, Fingerprint: fingerprint);
        return await StartAsync(request, client, nameof(GenerateDatasetOrchestrator), input, runId, cancellationToken);
    }

    [Function("GetRun")]
    public async Task<HttpResponseData> GetRunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "runs/{id}")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var metadata = await client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellationToken);
        if (metadata is null)
        {
            return await NotFoundAsync(request, id, cancellationToken);
        }

        var view = RunStatusView.From(metadata, storage.Value.Containers.Datasets, path => ApiJson.Url(request, path));
        if (view.Progress is { } progress && metadata.RuntimeStatus == OrchestrationRuntimeStatus.Running)
        {
            view = view with { Progress = await new RunProgressReader(client).AddRunningGroupsAsync(metadata.InstanceId, progress, cancellationToken) };
        }

        return await ApiJson.WriteAsync(request, HttpStatusCode.OK, view, cancellationToken);
    }

    [Function("TerminateRun")]
    public async Task<HttpResponseData> TerminateRunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "runs/{id}/terminate")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var metadata = await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken);
        if (metadata is null)
        {
            return await NotFoundAsync(request, id, cancellationToken);
        }

        if (metadata.IsCompleted)
        {
            return await ApiJson.ErrorAsync(request, HttpStatusCode.Conflict, $"run '{id}' has already finished ({metadata.RuntimeStatus}); nothing to terminate", cancellationToken);
        }

        await client.TerminateInstanceAsync(id, "terminated through the HTTP API", cancellationToken);

        // Terminating an orchestration does not stop its sub-orchestrations: the run's per-input children and fan-out
        // groups (ids under "<run id>~fanout-") are terminated too, so none goes on working for a stopped run and a
        // restart under the same id starts its children afresh.
        var running = new List<string>();
        var query = new OrchestrationQuery { InstanceIdPrefix = id + FanOut.GroupIdInfix, Statuses = [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Suspended] };
        await foreach (var descendant in client.GetAllInstancesAsync(query).WithCancellation(cancellationToken))
        {
            running.Add(descendant.InstanceId);
        }

        foreach (var descendant in running)
        {
            await client.TerminateInstanceAsync(descendant, $"run '{id}' was terminated", cancellationToken);
        }

        LogTerminated(logger, id);
        return await ApiJson.WriteAsync(request, HttpStatusCode.Accepted, new { id, message = $"run '{id}' is being terminated", status = ApiJson.Url(request, $"runs/{Uri.EscapeDataString(id)}") }, cancellationToken);
    }

    [Function("PurgeRun")]
    public async Task<HttpResponseData> PurgeRunAsync(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "runs/{id}")] HttpRequestData request,
        [DurableClient] DurableTaskClient client,
        string id,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var metadata = await client.GetInstanceAsync(id, getInputsAndOutputs: false, cancellationToken);
        if (metadata is null)
        {
            return await NotFoundAsync(request, id, cancellationToken);
        }

        if (!metadata.IsCompleted)
        {
            return await ApiJson.ErrorAsync(request, HttpStatusCode.Conflict, $"run '{id}' is {metadata.RuntimeStatus}; terminate it before purging its history", cancellationToken);
        }

        // The run's per-input children and fan-out groups are sub-orchestrations with ids under "<run id>~fanout-":
        // purge them first (so a failure leaves the run to purge again, not orphaned groups). A group still running (its parent was
        // terminated, which does not stop sub-orchestrations) is terminated now and purged by the next DELETE.
        var groups = new List<OrchestrationMetadata>();
        await foreach (var group in client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = id + FanOut.GroupIdInfix }).WithCancellation(cancellationToken))
        {
            groups.Add(group);
        }

        var purged = 0;
        var stillRunning = 0;
        foreach (var group in groups)
        {
            if (group.IsCompleted)
            {
                purged += (await client.PurgeInstanceAsync(group.InstanceId, cancellationToken)).PurgedInstanceCount;
            }
            else
            {
                await client.TerminateInstanceAsync(group.InstanceId, $"run '{id}' was purged", cancellationToken);
                stillRunning++;
            }
        }

        if (stillRunning > 0)
        {
            LogPurged(logger, id, purged);
            return await ApiJson.ErrorAsync(request, HttpStatusCode.Conflict, $"run '{id}' still had {stillRunning} running fan-out group(s); they are being terminated: purge again in a moment ({purged} finished group(s) purged)", cancellationToken);
        }

        purged += (await client.PurgeInstanceAsync(id, cancellationToken)).PurgedInstanceCount;
        LogPurged(logger, id, purged);
        return await ApiJson.WriteAsync(request, HttpStatusCode.OK, new { id, purgedInstances = purged }, cancellationToken);
    }

    private bool Simulated => string.Equals(model.Value.Provider, ModelProviders.Simulator, StringComparison.OrdinalIgnoreCase);

    private static Task<HttpResponseData> NotFoundAsync(HttpRequestData request, string id, CancellationToken cancellationToken)
        => ApiJson.ErrorAsync(request, HttpStatusCode.NotFound, $"no run with id '{id}'", cancellationToken);

    private async Task<HttpResponseData> StartAsync(HttpRequestData request, DurableTaskClient client, string orchestrator, object input, string runId, CancellationToken cancellationToken)
    {
        var start = await OrchestrationStarter.StartOrResumeAsync(client, orchestrator, input, runId, cancellationToken);
        if (start.Started)
        {
            LogStarted(logger, orchestrator, runId);
            return await client.CreateCheckStatusResponseAsync(request, runId, cancellationToken);
        }

        LogAlreadyExists(logger, orchestrator, runId, start.ExistingStatus);
        var status = ApiJson.Url(request, $"runs/{Uri.EscapeDataString(runId)}");
        var response = await ApiJson.WriteAsync(request, HttpStatusCode.Conflict, new
        {
            error = $"run '{runId}' already exists ({start.ExistingStatus}); the same request is the same run — read its status instead",
            id = runId,
            runtimeStatus = start.ExistingStatus?.ToString(),
            status,
        }, cancellationToken);
        response.Headers.Add("Location", status);
        return response;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Orchestrator} instance {InstanceId}")]
    private static partial void LogStarted(ILogger logger, string orchestrator, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Orchestrator} instance {InstanceId} already exists ({Status}); nothing started")]
    private static partial void LogAlreadyExists(ILogger logger, string orchestrator, string instanceId, OrchestrationRuntimeStatus? status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Terminating run {InstanceId}")]
    private static partial void LogTerminated(ILogger logger, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged run {InstanceId} ({Count} instances)")]
    private static partial void LogPurged(ILogger logger, string instanceId, int count);
}
