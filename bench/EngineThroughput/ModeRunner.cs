using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WildLong.Core.DependencyInjection;
using WildLong.Core.Generation;
using WildLong.Core.Model;
using WildLong.Core.Runner;
using WildLong.Engine;
using WildLong.Llm;
using WildLong.Llm.Caching;
using WildLong.Pipeline;
using WildLong.Pipeline.DependencyInjection;
using WildLong.Pipeline.Runs;
using WildLong.Simulator;
using WildLong.Storage;
using WildLong.Development.Azurite;

namespace WildLong.Bench.EngineThroughput;

/// <summary>
/// Runs one mode once from nothing: a fresh simulator (zero latency, a quota never reached), no response cache, and
/// for the durable modes a fresh Azurite with its own temporary data folder and a fresh task hub, so every mode pays
/// every model call and every storage transaction of the run.
/// </summary>
public sealed class ModeRunner(BenchOptions options, BenchInputs inputs, StorageRequestCounter storageRequests)
{
    private const string Deployment = "gpt-4o-mini";
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public async Task<ModeResult> RunAsync(string mode, int attempt, CancellationToken cancellationToken)
    {
        var simulatorOptions = new SimulatorOptions
        {
            MetricsLogIntervalSeconds = 0,
            Deployments = [new DeploymentOptions(Deployment, options.Tpm, options.Rpm)],
            Latency = new LatencyOptions(),
        };
        await using var simulator = await SimulatorServer.StartAsync(simulatorOptions, cancellationToken);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["WildLong:Model:Provider"] = ModelProviders.Simulator,
            ["WildLong:Model:Endpoint"] = simulator.BaseAddress.ToString(),
            ["WildLong:Model:ApiKey"] = simulator.ApiKey,
            ["WildLong:Model:Deployment"] = Deployment,
            ["WildLong:Model:Tpm"] = options.Tpm.ToString(Culture),
            ["WildLong:Model:Rpm"] = options.Rpm.ToString(Culture),
            ["WildLong:Llm:ModelId"] = Deployment,
            [$"{ResponseCacheOptions.SectionName}:Enabled"] = "false",
            [$"{MethodRunOptions.SectionName}:Pairs"] = options.Pairs.ToString(Culture),
            [$"{GenerationOptions.SectionName}:Seed"] = options.Seed.ToString(Culture),
            ["Logging:LogLevel:Default"] = options.Verbose ? "Warning" : "Error",
            ["Logging:LogLevel:Azure"] = "Error",
        };
        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        return mode == BenchOptions.InProcess
            ? await RunInProcessAsync(attempt, simulator, settings, cancellationToken)
            : await RunDurableAsync(mode, attempt, simulator, settings, cancellationToken);
    }

    private async Task<ModeResult> RunInProcessAsync(int attempt, SimulatorServer simulator, Dictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        using var host = BuildHost(settings, durable: false);
        await host.StartAsync(cancellationToken);
        var output = Path.Combine(inputs.Folder, $"out-in-process-{attempt}");
        try
        {
            var runner = host.Services.GetRequiredService<MethodRunner>();
            var model = host.Services.GetRequiredService<IOptions<ModelOptions>>().Value;
            var cost = host.Services.GetRequiredService<WildLong.Llm.Costs.CostCalculator>();
            var ledger = host.Services.GetRequiredService<UsageLedger>();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var result = await runner.RunAsync(inputs.QueriesFolder, inputs.DocumentsFile, progress: null, cancellationToken);
            await DatasetWriter.WriteAsync(output, result, new DatasetManifestExtras(model.Deployment, options.Seed, Simulated: true, cost.Calculate(ledger), new Dictionary<string, string?>(StringComparer.Ordinal)), cancellationToken);
            clock.Stop();
            var c = result.Counts;
            return new ModeResult(BenchOptions.InProcess, attempt, clock.Elapsed.TotalSeconds, c.QueriesRead, c.DocumentsIndexed, c.PathsSampled, c.PairsPlanned, c.PairsKept,
                simulator.Metrics.Snapshot().Totals.Requests, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, null, null, null,
                Calls(result.Usage), c.MetaInfoRecords, c.Instructions, StorageRequests: null);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private async Task<ModeResult> RunDurableAsync(string mode, int attempt, SimulatorServer simulator, Dictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        // AzuriteOptions.DataDirectory unset: a fresh temporary folder, deleted when the launcher is disposed.
        await using var azurite = await AzuriteLauncher.StartAsync(new AzuriteOptions { ReuseRunningInstance = false }, NullLogger.Instance, cancellationToken);
        var taskHub = "bench" + mode.Replace("-", string.Empty, StringComparison.Ordinal) + attempt.ToString(Culture);
        settings[$"{StorageOptions.SectionName}:ConnectionString"] = azurite.ConnectionString;
        storageRequests.Watch(azurite.BlobEndpoint, azurite.QueueEndpoint, azurite.TableEndpoint);
        settings[$"{EngineOptions.SectionName}:Backend"] = mode;
        settings[$"{EngineOptions.SectionName}:TaskHubName"] = taskHub;
        settings[$"{PipelineOptions.SectionName}:ShardCacheDirectory"] = Path.Combine(inputs.Folder, $"shard-cache-{mode}-{attempt}");
        foreach (var (key, value) in options.DurableSettings)
        {
            settings[key] = value;
        }

        using var host = BuildHost(settings, durable: true);
        await host.StartAsync(cancellationToken);
        try
        {
            var services = host.Services;
            var containers = services.GetRequiredService<IOptions<StorageOptions>>().Value.Containers;
            var blobs = services.GetRequiredService<BlobServiceClient>();
            var upload = Stopwatch.StartNew();
            const string prefix = "bench/";
            await UploadAsync(blobs, containers.Queries, prefix, Directory.GetFiles(inputs.QueriesFolder, "*.jsonl"), cancellationToken);
            await UploadAsync(blobs, containers.Documents, prefix, [inputs.DocumentsFile], cancellationToken);
            upload.Stop();

            var runId = $"bench-{mode}-{attempt}";
            var request = new RunRequest(runId, prefix, prefix, new RunSettings(options.Pairs, options.Seed), RunShape.FromServices(services), Simulated: true);
            var client = services.GetRequiredService<DurableTaskClient>();
            var azuriteCpu = ProcessCpuSeconds(azurite.ProcessId);
            var requestsBefore = storageRequests.Snapshot();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(RunOrchestrator), request, new StartOrchestrationOptions(runId), cancellationToken);
            OrchestrationMetadata metadata;
            while (true)
            {
                metadata = await client.GetInstanceAsync(runId, getInputsAndOutputs: false, cancellationToken)
                    ?? throw new InvalidOperationException($"run {runId} disappeared from task hub {taskHub}");
                if (metadata.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated)
                {
                    break;
                }

                await Task.Delay(PollInterval, cancellationToken);
            }

            clock.Stop();
            var benchCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            var azuriteUsed = ProcessCpuSeconds(azurite.ProcessId) - azuriteCpu;
            var requests = StorageRequestCounter.Difference(requestsBefore, storageRequests.Snapshot());
            metadata = await client.GetInstanceAsync(runId, getInputsAndOutputs: true, cancellationToken) ?? metadata;
            if (metadata.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            {
                throw new InvalidOperationException($"{mode}: run {runId} ended {metadata.RuntimeStatus}: {metadata.FailureDetails?.ErrorMessage ?? "no reason given"}");
            }

            var result = metadata.ReadOutputAs<RunResult>() ?? throw new InvalidOperationException($"{mode}: run {runId} completed without a result");
            var history = mode == BenchOptions.AzureStorage
                ? await HistoryProfile.ReadAsync(services.GetRequiredService<TableServiceClient>(), taskHub, runId, cancellationToken)
                : null;
            var t = result.Totals;
            return new ModeResult(mode, attempt, clock.Elapsed.TotalSeconds, t.Extraction.Items, t.Indexing.Succeeded, t.PathsSampled, t.Pairing.Succeeded, result.Pairs,
                simulator.Metrics.Snapshot().Totals.Requests, benchCpu, azuriteUsed, upload.Elapsed.TotalSeconds, history,
                Calls(t.All.Usage), t.Extraction.Succeeded, t.Instructions.Succeeded, requests, AzuriteTableFileBytes(azurite.DataDirectory));
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await host.StopAsync(stop.Token);
        }
    }

    /// <summary>Size of Azurite's table database (its loki file), or null when the data folder is unknown.</summary>
    private static long? AzuriteTableFileBytes(string? dataDirectory)
    {
        var file = dataDirectory is null ? null : new FileInfo(Path.Combine(dataDirectory, "__azurite_db_table__.json"));
        return file is { Exists: true } ? file.Length : null;
    }

    private static IHost BuildHost(Dictionary<string, string?> settings, bool durable)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddConfiguration(configuration);
        builder.Services
            .AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddSimpleConsole(o => o.SingleLine = true))
            .AddWildLongMethod(configuration)
            .AddWildLongResponseCache(configuration)
            .AddWildLongModel(configuration);
        if (durable)
        {
            builder.Services
                .AddWildLongStorage(configuration)
                .AddWildLongPipeline(configuration)
                .AddWildLongEngine(configuration, PipelineTasks.Register);
        }

        return builder.Build();
    }

    private static async Task UploadAsync(BlobServiceClient blobs, string containerName, string prefix, IEnumerable<string> files, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(containerName);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            await container.GetBlobClient(prefix + Path.GetFileName(file)).UploadAsync(file, overwrite: true, cancellationToken);
        }
    }

    private static SortedDictionary<string, long> Calls(IReadOnlyDictionary<string, StageUsage> usage)
        => new(usage.ToDictionary(kv => kv.Key, kv => kv.Value.Calls, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>User + system CPU of a process from /proc (Linux), null elsewhere or when it is gone.</summary>
    private static double? ProcessCpuSeconds(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/stat"))
        {
            return null;
        }

        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0: utime is field 14 → index 11, stime field 15 → index 12.
        const double ticksPerSecond = 100;
        return (long.Parse(fields[11], Culture) + long.Parse(fields[12], Culture)) / ticksPerSecond;
    }
}
