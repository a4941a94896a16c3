using System.Globalization;
using System.Net;
using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WildLong.Core.Generation;
using WildLong.Core.Pipeline;
using WildLong.Functions.Estimation;
using WildLong.Llm;
using WildLong.Llm.Costs;
using WildLong.Pipeline;
using WildLong.Pipeline.Capacity;
using WildLong.Storage;

namespace WildLong.Functions.Http;

/// <summary>
/// <c>POST /api/estimate</c>: the dry run over blob inputs — calls, tokens and cost of a planned run before anything is
/// spent. The estimator reads local files, so the blobs under the two prefixes are downloaded to a temp folder first
/// (up to <see cref="EstimateOptions.MaxDownloadBytes"/>) and deleted afterwards. The answer adds the capacity plan
/// (<see cref="CapacityPlanner"/>): wall-clock time at the quota, activities, storage transactions, hosting cost.
/// </summary>
public sealed class EstimateApi(
    IServiceProvider services,
    BlobServiceClient blobs,
    CostCalculator costs,
    IOptionsFactory<MethodRunOptions> runOptions,
    IOptionsFactory<GenerationOptions> generationOptions,
    IOptions<StorageOptions> storage,
    IOptions<EstimateOptions> options)
{
    [Function("EstimateRun")]
    public async Task<HttpResponseData> EstimateAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "estimate")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
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
        var queries = blobs.GetBlobContainerClient(containers.Queries);
        var documents = blobs.GetBlobContainerClient(containers.Documents);
        var queryBlobs = await BlobPrefixDownloader.ListAsync(queries, body.QueriesPrefix, cancellationToken);
        var documentBlobs = await BlobPrefixDownloader.ListAsync(documents, body.DocumentsPrefix, cancellationToken);
        if (queryBlobs.Count == 0 || documentBlobs.Count == 0)
        {
            var what = queryBlobs.Count == 0 ? $"no query shards under '{containers.Queries}/{body.QueriesPrefix}'" : $"no corpus files under '{containers.Documents}/{body.DocumentsPrefix}'";
            return await ApiJson.ErrorAsync(request, HttpStatusCode.NotFound, what, cancellationToken);
        }

        var bytes = queryBlobs.Sum(b => b.Size) + documentBlobs.Sum(b => b.Size);
        var limit = options.Value.MaxDownloadBytes;
        if (bytes > limit)
        {
            return await ApiJson.ErrorAsync(request, HttpStatusCode.RequestEntityTooLarge, string.Create(CultureInfo.InvariantCulture,
                $"the inputs hold {bytes:N0} bytes, more than the {limit:N0} bytes the HTTP estimate downloads ({EstimateOptions.SectionName}:MaxDownloadBytes); estimate a smaller prefix or run 'wildlong estimate' locally"), cancellationToken);
        }

        var folder = Path.Combine(options.Value.WorkDirectory ?? Path.GetTempPath(), "wildlong-estimate", Guid.NewGuid().ToString("N"));
        try
        {
            var queriesFolder = Path.Combine(folder, "queries");
            var documentsFolder = Path.Combine(folder, "documents");
            await BlobPrefixDownloader.DownloadAsync(queries, queryBlobs.Select(b => b.Name), queriesFolder, cancellationToken);
            await BlobPrefixDownloader.DownloadAsync(documents, documentBlobs.Select(b => b.Name), documentsFolder, cancellationToken);

            // Fresh option instances (every configure step applied) with the request's overrides.
            var run = runOptions.Create(Options.DefaultName);
            run.Pairs = body.Pairs ?? run.Pairs;
            var generation = generationOptions.Create(Options.DefaultName);
            generation.MultiDocumentShare = body.MultiDocumentShare ?? generation.MultiDocumentShare;
            var estimator = ActivatorUtilities.CreateInstance<RunEstimator>(services, Options.Create(run), Options.Create(generation));
            var estimate = await estimator.EstimateAsync(queriesFolder, documentsFolder, cancellationToken);
            var cost = costs.Calculate(estimate.Usage, body.Batch);
            var capacity = CapacityPlanner.Plan(estimate, services.GetRequiredService<IOptions<ModelOptions>>().Value, run,
                services.GetRequiredService<IOptions<PipelineOptions>>().Value, services.GetService<IOptions<HostingPrices>>()?.Value ?? new HostingPrices());
            return await ApiJson.WriteAsync(request, HttpStatusCode.OK, new { estimate, cost, capacity }, cancellationToken);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
