using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WildLong.Core.Generation;
using WildLong.Core.Runner;
using WildLong.Functions.Http;
using WildLong.Llm;
using WildLong.Llm.Costs;
using WildLong.Pipeline;
using WildLong.Pipeline.Capacity;
using WildLong.Storage;
using WildLong.Storage.Blobs;

namespace WildLong.Functions.Estimation;

/// <summary>
/// The work of the estimate job's activity (<see cref="EstimateOrchestrator.ActivityName"/>; a plain class, not a
/// <c>TaskActivity</c>, because the Functions wrapper in this assembly carries the activity's name). The dry run over
/// blob inputs: downloads the blobs under the two prefixes to a temp folder (the estimator reads local
/// files; at most <see cref="EstimateOptions.MaxDownloadBytes"/>, deleted afterwards), estimates calls, tokens and cost,
/// adds the capacity plan (<see cref="CapacityPlanner"/>) and writes <c>{estimate, cost, capacity}</c> — the body
/// <c>GET /api/estimates/{id}</c> answers — to the request's result blob. Run again, it writes the same blob again.
/// </summary>
public sealed class InputsEstimator(
    IServiceProvider services,
    BlobServiceClient blobs,
    PipelineBlobStore store,
    CostCalculator costs,
    IOptionsFactory<MethodRunOptions> runOptions,
    IOptionsFactory<GenerationOptions> generationOptions,
    IOptions<StorageOptions> storage,
    IOptions<EstimateOptions> options)
{
    public async Task<BlobRef> EstimateAsync(EstimateRequest input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var containers = storage.Value.Containers;
        var queries = blobs.GetBlobContainerClient(containers.Queries);
        var documents = blobs.GetBlobContainerClient(containers.Documents);
        var queryBlobs = await BlobPrefixDownloader.ListAsync(queries, input.QueriesPrefix, cancellationToken);
        var documentBlobs = await BlobPrefixDownloader.ListAsync(documents, input.DocumentsPrefix, cancellationToken);
        if (InputsProblem(queryBlobs, documentBlobs, input.QueriesPrefix, input.DocumentsPrefix, containers, options.Value.MaxDownloadBytes) is { } problem)
        {
            throw new InvalidOperationException(problem);
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
            run.Pairs = input.Pairs ?? run.Pairs;
            var generation = generationOptions.Create(Options.DefaultName);
            generation.MultiDocumentShare = input.MultiDocumentShare ?? generation.MultiDocumentShare;
            var estimator = ActivatorUtilities.CreateInstance<RunEstimator>(services, Options.Create(run), Options.Create(generation));
            var estimate = await estimator.EstimateAsync(queriesFolder, documentsFolder, cancellationToken);
            var cost = costs.Calculate(estimate.Usage, input.Batch);
            var capacity = CapacityPlanner.Plan(estimate, services.GetRequiredService<IOptions<ModelOptions>>().Value, run,
                services.GetRequiredService<IOptions<PipelineOptions>>().Value, services.GetService<IOptions<HostingPrices>>()?.Value ?? new HostingPrices());
            await store.UploadTextAsync(input.Result, JsonSerializer.Serialize(new { estimate, cost, capacity }, ApiJson.Options), cancellationToken);
            return input.Result;
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>
    /// Why these inputs cannot be estimated — none under a prefix, or more bytes than the limit — or null: checked by
    /// the HTTP endpoint before it starts a job (404 / 413) and again here (the blobs may have changed since).
    /// </summary>
    public static string? InputsProblem(
        IReadOnlyList<(string Name, long Size)> queryBlobs,
        IReadOnlyList<(string Name, long Size)> documentBlobs,
        string? queriesPrefix,
        string? documentsPrefix,
        StorageContainerNames containers,
        long limit)
    {
        ArgumentNullException.ThrowIfNull(queryBlobs);
        ArgumentNullException.ThrowIfNull(documentBlobs);
        ArgumentNullException.ThrowIfNull(containers);
        if (queryBlobs.Count == 0 || documentBlobs.Count == 0)
        {
            return queryBlobs.Count == 0 ? $"no query shards under '{containers.Queries}/{queriesPrefix}'" : $"no corpus files under '{containers.Documents}/{documentsPrefix}'";
        }

        var bytes = queryBlobs.Sum(b => b.Size) + documentBlobs.Sum(b => b.Size);
        return bytes > limit
            ? string.Create(CultureInfo.InvariantCulture,
                $"the inputs hold {bytes:N0} bytes, more than the {limit:N0} bytes the HTTP estimate downloads ({EstimateOptions.SectionName}:MaxDownloadBytes); estimate a smaller prefix or run 'wildlong estimate' locally")
            : null;
    }
}
