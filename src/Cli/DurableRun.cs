using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WildLong.Core.Common;
using WildLong.Core.Documents;
using WildLong.Core.Generation;
using WildLong.Core.Queries;
using WildLong.Core.Runner;
using WildLong.Pipeline.Orchestration;
using WildLong.Pipeline.Runs;
using WildLong.Storage;
using WildLong.Storage.Blobs;
using WildLong.Storage.Runs;

namespace WildLong.Cli;

/// <summary>
/// A run on the durable engine from the CLI: uploads local inputs to storage under content-derived names, derives the
/// run id from the inputs and the run fingerprint (<see cref="RunIdentity"/>: the same command with the same
/// configuration is the same run, so running it again resumes it; any setting that shapes the data gives a new one), starts or
/// resumes the orchestration, shows its progress, and downloads the dataset when it completes.
/// </summary>
internal sealed class DurableRun(CliHost host)
{
    private readonly BlobServiceClient blobs = host.Services.GetRequiredService<BlobServiceClient>();
    private readonly StorageContainerNames containers = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value.Containers;
    private readonly DurableTaskClient client = host.Services.GetRequiredService<DurableTaskClient>();
    private readonly RunStore runs = host.Services.GetRequiredService<RunStore>();

    public WildLong.Llm.Costs.CostCalculator Costs { get; } = host.Services.GetRequiredService<WildLong.Llm.Costs.CostCalculator>();

    public RunStore Runs => runs;

    public DurableTaskClient Client => client;

    public static RunSettings Settings(IConfiguration configuration)
    {
        var run = configuration.GetSection(MethodRunOptions.SectionName).Get<MethodRunOptions>() ?? new MethodRunOptions();
        var generation = configuration.GetSection(GenerationOptions.SectionName).Get<GenerationOptions>() ?? new GenerationOptions();
        var share = configuration[$"{GenerationOptions.SectionName}:MultiDocumentShare"] is null ? (double?)null : generation.MultiDocumentShare;
        var settings = new RunSettings(run.Pairs, generation.Seed, share);
        settings.Validate();
        return settings;
    }

    /// <summary>Uploads the inputs (skipping files already there) and returns the run they make with these settings.</summary>
    public async Task<RunRequest> PrepareAsync(string queries, string documents, RunSettings settings, bool simulated, CancellationToken cancellationToken)
    {
        var queryPrefix = await UploadAsync(containers.Queries, queries, [.. QueryReader.JsonlExtensions, .. QueryReader.ParquetExtensions], cancellationToken);
        var documentPrefix = await UploadAsync(containers.Documents, documents, [.. DocumentReader.JsonlExtensions, .. TextFolderDocumentReader.TextExtensions], cancellationToken);
        var fingerprint = host.Services.GetRequiredService<RunFingerprintSource>().For(settings);
        var runId = RunIdentity.ForRun(queryPrefix, documentPrefix, fingerprint);
        return new RunRequest(runId, queryPrefix, documentPrefix, settings, RunShape.FromServices(host.Services), simulated, fingerprint);
    }

    /// <summary>Starts the run, or resumes it when it exists; returns whether it was already there.</summary>
    public async Task<string> StartOrResumeAsync(RunRequest request, string outputFolder, CancellationToken cancellationToken)
    {
        var existing = await client.GetInstanceAsync(request.RunId, getInputsAndOutputs: false, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var record = await runs.GetAsync(request.RunId, cancellationToken);
        await runs.UpsertAsync(new RunRecord(request.RunId, existing?.RuntimeStatus.ToString() ?? "Pending", record?.CreatedAt ?? now, now, request.Settings.Pairs,
            request.Settings.Seed, JsonSerializer.Serialize(new StoredRun(request, Path.GetFullPath(outputFolder)), WildLongJson.Options),
            BlobLayout.DatasetPrefix(request.RunId), record?.SummaryJson), cancellationToken);
        // The start-or-resume the Functions app uses too: a failed or terminated run is purged and started again under
        // the same id, and every finished step is kept in blobs and tables, so the new attempt redoes only what is missing.
        var start = await OrchestrationStarter.StartOrResumeAsync(client, nameof(RunOrchestrator), request, request.RunId, cancellationToken);
        return start switch
        {
            { Started: true, ExistingStatus: null } => "started",
            { Started: true } => $"restarted after {start.ExistingStatus}",
            { ExistingStatus: OrchestrationRuntimeStatus.Completed } => "already completed",
            _ => "resumed",
        };
    }

    /// <summary>
    /// How long work a killed process held stays locked before the next process gets it (azure-storage): the longer
    /// of the activity and orchestration message visibility and the partition lease; zero for the memory engine.
    /// </summary>
    public TimeSpan ReclaimWindow
    {
        get
        {
            var engine = host.Services.GetRequiredService<IOptions<WildLong.Engine.EngineOptions>>().Value;
            return string.Equals(engine.Backend, WildLong.Engine.EngineBackends.Memory, StringComparison.OrdinalIgnoreCase)
                ? TimeSpan.Zero
                : new[] { engine.WorkItemVisibilityTimeout, engine.ControlQueueVisibilityTimeout, engine.PartitionLeaseInterval }.Max();
        }
    }

    /// <summary>Follows the run until it ends, rendering its custom status (and how long it has not changed); returns the final metadata.</summary>
    public async Task<OrchestrationMetadata> WatchAsync(string runId, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? metadata = null;
        var live = new RunProgressReader(client);
        var window = ReclaimWindow;
        var waitingFor = window > TimeSpan.Zero
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"activities in flight, or work a stopped process held, which comes back within {window.TotalSeconds:0} s of its end")
            : "activities in flight";
        await RunProgressView.ShowAsync(waitingFor, async update =>
        {
            string? last = null;
            var changed = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                metadata = await client.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellationToken)
                    ?? throw new CliException(ExitCodes.Failed, $"run {runId} disappeared from the task hub");
                var progress = await live.ReadAsync(metadata, cancellationToken);
                var line = progress is null ? null : RunProgressView.Describe(progress);
                if (line != last)
                {
                    last = line;
                    changed.Restart();
                }

                update(progress, changed.Elapsed);

                if (metadata.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        });
        return metadata!;
    }

    /// <summary>Copies the dataset files from the datasets container into <paramref name="folder"/>.</summary>
    public async Task<IReadOnlyList<string>> DownloadAsync(RunResult result, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var container = blobs.GetBlobContainerClient(result.DatasetContainer);
        var files = new List<string>();
        await foreach (var item in container.GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = result.DatasetPrefix }, cancellationToken))
        {
            var name = item.Name[result.DatasetPrefix.Length..];
            await container.GetBlobClient(item.Name).DownloadToAsync(Path.Combine(folder, name), cancellationToken);
            files.Add(name);
        }

        return files;
    }

    private async Task<string> UploadAsync(string containerName, string path, IReadOnlyCollection<string> extensions, CancellationToken cancellationToken)
    {
        var (prefix, files) = await LocalInputIdentity.ComputeAsync(path, extensions, cancellationToken);
        if (files.Count == 0)
        {
            throw new CliException(ExitCodes.InputNotFound, $"no input files ({string.Join(", ", extensions)}) under {path}");
        }

        var container = blobs.GetBlobContainerClient(containerName);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var (full, relative) in files)
        {
            var blob = container.GetBlobClient(prefix + relative.Replace('\\', '/'));
            if (!(await blob.ExistsAsync(cancellationToken)).Value)
            {
                await blob.UploadAsync(full, cancellationToken);
            }
        }

        return prefix;
    }

    /// <summary>What <c>wildlong resume</c> needs to continue a run: its request and where its dataset goes.</summary>
    internal sealed record StoredRun(RunRequest Request, string OutputFolder);
}
